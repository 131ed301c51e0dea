// set_node_status: the owner pauses, resumes or retires a node. A paused or retired node records nothing
// and joins no cluster; retirement is final.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { expectError, lastEvent } from "./expect.js";
import { inference, openNodeEscrow, provenanceFixture, registerNode, START } from "./fixture.js";

describe("provenance: set_node_status", () => {
  it("Given an active node, When paused then resumed, Then records are refused while paused and accepted after", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    await f.provenance.setNodeStatus({ owner: f.owner, node, status: "paused" });
    expect(lastEvent(f, "nodeStatusChanged")).to.deep.equal({
      node: node.toBase58(),
      owner: f.owner.publicKey.toBase58(),
      previous: { active: {} },
      status: { paused: {} },
      updatedAt: START,
    });
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n), modelName: "m" }), "NodeNotActive");
    const cluster = Keypair.generate();
    await f.provenance.createCluster({ authority: f.coordinator, cluster, name: "c" });
    await expectError(f, f.provenance.addClusterMembers({ authority: f.coordinator, cluster: cluster.publicKey, members: [{ node, shareBps: 1 }] }), "NodeNotActive");
    await f.provenance.setNodeStatus({ owner: f.owner, node, status: "active" });
    expect(lastEvent(f, "nodeStatusChanged").status).to.deep.equal({ active: {} });
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n), modelName: "m" });
  });

  it("Given a node, When retired, Then it never records again and cannot come back", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    await f.provenance.setNodeStatus({ owner: f.owner, node, status: "paused" });
    await f.provenance.setNodeStatus({ owner: f.owner, node, status: "retired" });
    expect(lastEvent(f, "nodeStatusChanged").previous).to.deep.equal({ paused: {} });
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n), modelName: "m" }), "NodeNotActive");
    for (const status of ["active", "paused", "retired"] as const) {
      await expectError(f, f.provenance.setNodeStatus({ owner: f.owner, node, status }), "InvalidStatusChange");
    }
  });

  it("Given a status change that is no change, or a stranger, When sent, Then it is refused", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    await expectError(f, f.provenance.setNodeStatus({ owner: f.owner, node, status: "active" }), "InvalidStatusChange");
    await expectError(f, f.provenance.setNodeStatus({ owner: f.stranger, node, status: "paused" }), "NotNodeOwner");
    await expectError(f, f.provenance.setNodeStatus({ owner: f.worker, node, status: "retired" }), "NotNodeOwner");
  });

  it("Given an unknown status byte, When sent, Then the arguments do not decode", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const ix = await f.provenance.setNodeStatusIx({ owner: f.owner.publicKey, node, status: "paused" });
    ix.data[8] = 3;
    await expectError(f, f.t.send(ix, { signers: [f.owner] }), "InstructionDidNotDeserialize");
  });
});
