// activate_cluster: the authority sets every member's share; the program checks 16 to 64 members and shares
// that add up to 10,000 bps, and fixes the payee list (owners ascending, shares summed per owner) that
// escrows for the cluster must pay.
import { expect } from "chai";
import { clusterPayees, payeesHash } from "../../ts-client/src/index.js";
import { expectError, expectUnchanged, hex, lastEvent } from "./expect.js";
import { formCluster, provenanceFixture, START } from "./fixture.js";

describe("provenance: activate_cluster", () => {
  it("Given 16 members of 5 owners, When activated, Then the payee list sums shares per owner, its hash equals the escrow's, and the event carries both", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { activate: false });
    const shares = [1000, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500, 2000];
    await f.provenance.activateCluster({ authority: f.coordinator, cluster: c.cluster, shares });

    const state = await f.provenance.fetchCluster(c.cluster);
    const members = state.members.slice(0, 16).map((m, i) => ({ node: m.node, owner: m.owner, shareBps: shares[i] }));
    const payees = clusterPayees(members);
    expect(payees).to.have.length(5);
    expect(payees.reduce((s, p) => s + p.shareBps, 0)).to.equal(10_000);
    const event = lastEvent(f, "clusterActivated");
    expect(event).to.deep.include({
      cluster: c.cluster.toBase58(),
      authority: f.coordinator.publicKey.toBase58(),
      memberCount: 16,
      shares,
      payeesHash: hex(payeesHash(payees)),
      version: state.version,
      updatedAt: START,
    });
    expect(event.payees).to.deep.equal(payees.map((p) => ({ owner: p.owner.toBase58(), shareBps: p.shareBps })));
    expect(state.status).to.deep.equal({ active: {} });
    expect(state.payeeCount).to.equal(5);
    expect(Buffer.from(state.payeesHash)).to.deep.equal(payeesHash(payees));
    expect(state.members.slice(0, 16).map((m) => m.shareBps)).to.deep.equal(shares);
  });

  it("Given shares that do not add up, a zero share or a share count that differs from the members, When activating, Then it is refused and nothing changes", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { activate: false });
    const activate = (shares: number[]) => f.provenance.activateCluster({ authority: f.coordinator, cluster: c.cluster, shares });
    await expectUnchanged(f.t, [c.cluster], () => expectError(f, activate(Array(16).fill(624)), "InvalidShares"));
    await expectError(f, activate([...Array(15).fill(625), 626]), "InvalidShares");
    await expectError(f, activate([0, ...Array(14).fill(625), 1250]), "InvalidShares");
    await expectError(f, activate([65_535, 10_001, ...Array(14).fill(0)]), "InvalidShares");
    await expectError(f, activate(Array(15).fill(667)), "SharesMismatch");
    await expectError(f, activate(Array(17).fill(588)), "SharesMismatch");
  });

  it("Given one owner's nodes whose shares sum past 65,535, When activating, Then the shares are refused (no overflow)", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { ownerCount: 1, activate: false });
    await expectError(f, f.provenance.activateCluster({ authority: f.coordinator, cluster: c.cluster, shares: [65_535, 10_001, ...Array(14).fill(1)] }), "InvalidShares");
    await f.provenance.activateCluster({ authority: f.coordinator, cluster: c.cluster, shares: Array(16).fill(625) });
    expect(lastEvent(f, "clusterActivated").payees).to.deep.equal([{ owner: c.owners[0].publicKey.toBase58(), shareBps: 10_000 }]);
  });

  it("Given fewer than 16 members, When activating, Then it is refused", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { size: 16, activate: false });
    await f.provenance.removeClusterMember({ authority: f.coordinator, cluster: c.cluster, node: c.nodes[0] });
    await expectError(f, f.provenance.activateCluster({ authority: f.coordinator, cluster: c.cluster, shares: Array(15).fill(667).map((s, i) => (i === 0 ? 10_000 - 667 * 14 : s)) }), "ClusterTooSmall");
  });

  it("Given a stranger, When activating, Then it is refused", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { activate: false });
    await expectError(f, f.provenance.activateCluster({ authority: f.stranger, cluster: c.cluster, shares: c.shares }), "NotClusterAuthority");
  });

  it("Given 64 members of 8 owners, When activated, Then the payee list has 8 entries", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { size: 64, ownerCount: 8 });
    expect((await f.provenance.clusterPayees(c.cluster)).length).to.equal(8);
    expect((await f.provenance.fetchCluster(c.cluster)).payeeCount).to.equal(8);
  });
});
