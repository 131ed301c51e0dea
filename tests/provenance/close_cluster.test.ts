// close_cluster: the cluster's authority closes it and takes its rent back; escrows naming it can no longer be
// charged through provenance.
import { expect } from "chai";
import { expectError, lastEvent } from "./expect.js";
import { formCluster, inference, openEscrowFor, provenanceFixture } from "./fixture.js";

describe("provenance: close_cluster", () => {
  it("Given a cluster, When the authority closes it, Then its rent returns, the account is gone and its escrows take no more records", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f);
    const escrow = await openEscrowFor(f, c.cluster, await f.provenance.clusterPayees(c.cluster));
    const rent = BigInt(f.t.account(c.cluster)!.lamports);
    const before = f.t.balance(f.coordinator.publicKey);
    await f.provenance.closeCluster({ authority: f.coordinator, cluster: c.cluster });
    expect(lastEvent(f, "clusterClosed")).to.deep.include({ cluster: c.cluster.toBase58(), authority: f.coordinator.publicKey.toBase58(), rentReturned: rent });
    expect(f.t.account(c.cluster)).to.equal(null);
    expect(f.t.balance(f.coordinator.publicKey) - before).to.equal(rent);
    await expectError(f, f.provenance.recordInference({ nodeAuthority: c.workers[0], node: c.nodes[0], target: { escrow, cluster: c.cluster }, record: inference(1n), modelName: "m" }), "AccountNotInitialized");
  });

  it("Given a stranger, When closing, Then it is refused", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { activate: false });
    await expectError(f, f.provenance.closeCluster({ authority: f.stranger, cluster: c.cluster }), "NotClusterAuthority");
  });
});
