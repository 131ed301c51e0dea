// remove_cluster_member: the cluster's authority removes a node; the cluster is forming again, so records
// against it stop until it is re-activated with shares that add up.
import { expect } from "chai";
import { toBigInt } from "../../ts-client/src/index.js";
import { expectError, lastEvent } from "./expect.js";
import { formCluster, inference, openEscrowFor, provenanceFixture, registerNode, START } from "./fixture.js";

describe("provenance: remove_cluster_member", () => {
  it("Given an active cluster, When a member is removed, Then the event records it, the cluster is forming and its escrows refuse records until re-activation", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { size: 17 });
    const escrow = await openEscrowFor(f, c.cluster, await f.provenance.clusterPayees(c.cluster));
    const gone = c.nodes[5];
    const before = await f.provenance.fetchCluster(c.cluster);
    const share = before.members.find((m) => m.node.equals(gone))!.shareBps;
    await f.provenance.removeClusterMember({ authority: f.coordinator, cluster: c.cluster, node: gone });
    const state = await f.provenance.fetchCluster(c.cluster);
    expect(lastEvent(f, "clusterMemberRemoved")).to.deep.equal({
      cluster: c.cluster.toBase58(),
      node: gone.toBase58(),
      owner: c.owners[5 % c.owners.length].publicKey.toBase58(),
      shareBps: share,
      memberCount: 16,
      version: state.version,
      updatedAt: START,
    });
    expect(state.status).to.deep.equal({ forming: {} });
    expect(state.members.slice(0, 16).some((m) => m.node.equals(gone))).to.equal(false);
    await expectError(f, f.provenance.recordInference({ nodeAuthority: c.workers[0], node: c.nodes[0], target: { escrow, cluster: c.cluster }, record: inference(1n), modelName: "m" }), "ClusterNotActive");
    // re-activated with new shares: a new payee list, so the old escrow no longer matches it
    await f.provenance.activateCluster({ authority: f.coordinator, cluster: c.cluster, shares: Array(16).fill(625) });
    await expectError(f, f.provenance.recordInference({ nodeAuthority: c.workers[0], node: c.nodes[0], target: { escrow, cluster: c.cluster }, record: inference(1n), modelName: "m" }), "PayeesMismatch");
    const fresh = await openEscrowFor(f, c.cluster, await f.provenance.clusterPayees(c.cluster));
    await f.provenance.recordInference({ nodeAuthority: c.workers[0], node: c.nodes[0], target: { escrow: fresh, cluster: c.cluster }, record: inference(1n), modelName: "m" });
    expect(toBigInt((await f.escrow.fetchEscrow(fresh)).pending)).to.equal(5_000n);
    // the removed node is no member any more
    await expectError(f, f.provenance.recordInference({ nodeAuthority: c.workers[5], node: gone, target: { escrow: fresh, cluster: c.cluster }, record: inference(1n), modelName: "m" }), "NotClusterMember");
  });

  it("Given a node that is not a member, or a stranger, When removing, Then it is refused", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f, { activate: false });
    await expectError(f, f.provenance.removeClusterMember({ authority: f.coordinator, cluster: c.cluster, node: await registerNode(f) }), "NotClusterMember");
    await expectError(f, f.provenance.removeClusterMember({ authority: f.stranger, cluster: c.cluster, node: c.nodes[0] }), "NotClusterAuthority");
  });
});
