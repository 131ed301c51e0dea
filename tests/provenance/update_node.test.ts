// update_node: the owner rotates the node's worker key or changes its hardware.
import { expect } from "chai";
import { Keypair, PublicKey } from "@solana/web3.js";
import { readLabel } from "../../ts-client/src/index.js";
import { expectError, lastEvent } from "./expect.js";
import { H100, inference, openNodeEscrow, provenanceFixture, registerNode, START } from "./fixture.js";

describe("provenance: update_node", () => {
  it("Given a node, When the owner rotates its authority, Then records signed by the old key are refused and the new key records", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    const next = f.t.fundedKeypair();
    f.t.advance({ seconds: 60n });
    await f.provenance.updateNode({ owner: f.owner, node, authority: next.publicKey, hardware: { ...H100, gpuCount: 4, region: "us-east-1" } });
    expect(lastEvent(f, "nodeUpdated")).to.deep.include({ node: node.toBase58(), owner: f.owner.publicKey.toBase58(), authority: next.publicKey.toBase58(), updatedAt: START + 60n });
    const state = await f.provenance.fetchNode(node);
    expect([state.hardware.gpuCount, readLabel(state.hardware.region)]).to.deep.equal([4, "us-east-1"]);
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n), modelName: "m" }), "NotNodeAuthority");
    await f.provenance.recordInference({ nodeAuthority: next, node, target: { escrow }, record: inference(1n), modelName: "m" });
  });

  it("Given someone other than the owner, When they update the node (even its worker), Then it is refused", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    await expectError(f, f.provenance.updateNode({ owner: f.stranger, node, authority: f.stranger.publicKey, hardware: H100 }), "NotNodeOwner");
    await expectError(f, f.provenance.updateNode({ owner: f.worker, node, authority: f.worker.publicKey, hardware: H100 }), "NotNodeOwner");
  });

  it("Given bad values or a retired node, When updating, Then it is refused", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    await expectError(f, f.provenance.updateNode({ owner: f.owner, node, authority: PublicKey.default, hardware: H100 }), "InvalidAuthority");
    await expectError(f, f.provenance.updateNode({ owner: f.owner, node, authority: f.worker.publicKey, hardware: { ...H100, gpuCount: 0 } }), "InvalidHardware");
    await f.provenance.setNodeStatus({ owner: f.owner, node, status: "retired" });
    await expectError(f, f.provenance.updateNode({ owner: f.owner, node, authority: Keypair.generate().publicKey, hardware: H100 }), "NodeRetired");
  });
});
