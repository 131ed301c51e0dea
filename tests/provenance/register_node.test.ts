// register_node: an owner registers a GPU node with its worker key and hardware.
import { expect } from "chai";
import { createHash } from "node:crypto";
import { Keypair, PublicKey } from "@solana/web3.js";
import { hardwareArg, readLabel, toBigInt } from "../../ts-client/src/index.js";
import { expectError, expectSystemError, hex, lastEvent } from "./expect.js";
import { H100, provenanceFixture, START } from "./fixture.js";

describe("provenance: register_node", () => {
  it("Given an owner, When it registers a node, Then the node is active with its authority, hardware and single-payee hash, and the event says so", async () => {
    const f = await provenanceFixture();
    const node = Keypair.generate();
    await f.provenance.registerNode({ owner: f.owner, node, authority: f.worker.publicKey, hardware: H100 });

    const body = Buffer.alloc(4 + 34);
    body.writeUInt32LE(1, 0);
    f.owner.publicKey.toBuffer().copy(body, 4);
    body.writeUInt16LE(10_000, 36);
    const payeesHash = createHash("sha256").update(body).digest();
    const event = lastEvent(f, "nodeRegistered");
    expect(event).to.deep.include({
      node: node.publicKey.toBase58(),
      owner: f.owner.publicKey.toBase58(),
      authority: f.worker.publicKey.toBase58(),
      payeesHash: hex(payeesHash),
      registeredAt: START,
    });
    const state = await f.provenance.fetchNode(node.publicKey);
    expect(state.owner.toBase58()).to.equal(f.owner.publicKey.toBase58());
    expect(state.status).to.deep.equal({ active: {} });
    expect(readLabel(state.hardware.gpuModel)).to.equal(H100.gpuModel);
    expect(readLabel(state.hardware.region)).to.equal(H100.region);
    expect([state.hardware.gpuCount, state.hardware.vramGib, state.hardware.cpuCores, state.hardware.ramGib]).to.deep.equal([8, 80, 96, 1024]);
    expect(Buffer.from(state.payeesHash)).to.deep.equal(payeesHash);
    expect([toBigInt(state.lastSequence), toBigInt(state.inferenceCount), toBigInt(state.registeredAt)]).to.deep.equal([0n, 0n, START]);
    expect(state.batchLog.equals(PublicKey.default)).to.equal(true);
    expect(f.t.account(node.publicKey)!.owner.toBase58()).to.equal(f.provenance.programId.toBase58());
  });

  it("Given incomplete hardware or no authority, When registering, Then it is refused", async () => {
    const f = await provenanceFixture();
    const register = (o: Partial<typeof H100> = {}, authority = f.worker.publicKey) =>
      f.provenance.registerNode({ owner: f.owner, node: Keypair.generate(), authority, hardware: { ...H100, ...o } });
    for (const bad of [{ gpuCount: 0 }, { vramGib: 0 }, { cpuCores: 0 }, { ramGib: 0 }]) await expectError(f, register(bad), "InvalidHardware");
    await expectError(f, register({}, PublicKey.default), "InvalidAuthority");
    // labels the client helper would refuse: raw bytes with text after the padding, and an empty one
    const ix = await f.provenance.registerNodeIx({ owner: f.owner.publicKey, node: Keypair.generate().publicKey, authority: f.worker.publicKey, hardware: H100 });
    const hw = hardwareArg(H100);
    expect(hw.gpuModel.length).to.equal(32);
    const gpuModelAt = 8 + 32; // discriminator, authority
    const tampered = [Buffer.from(ix.data), Buffer.from(ix.data)];
    tampered[0][gpuModelAt + 31] = 0x41; // after the zero padding
    tampered[1].fill(0, gpuModelAt, gpuModelAt + 32);
    for (const data of tampered) {
      const node = Keypair.generate();
      const keys = ix.keys.map((k) => (k.pubkey.equals(ix.keys[1].pubkey) ? { ...k, pubkey: node.publicKey } : k));
      await expectError(f, f.t.send({ ...ix, keys, data }, { signers: [f.owner, node] }), "InvalidHardware");
    }
  });

  it("Given a registered node, When its address is registered again, Then the System Program refuses (no reinitialization)", async () => {
    const f = await provenanceFixture();
    const node = Keypair.generate();
    await f.provenance.registerNode({ owner: f.owner, node, authority: f.worker.publicKey, hardware: H100 });
    await expectSystemError(f.provenance.registerNode({ owner: f.stranger, node, authority: f.stranger.publicKey, hardware: H100 }), "AccountAlreadyInUse");
    expect((await f.provenance.fetchNode(node.publicKey)).owner.toBase58()).to.equal(f.owner.publicKey.toBase58());
  });

  it("Given the node's keypair does not sign, When registering, Then it is refused", async () => {
    const f = await provenanceFixture();
    const node = Keypair.generate();
    const ix = await f.provenance.registerNodeIx({ owner: f.owner.publicKey, node: node.publicKey, authority: f.worker.publicKey, hardware: H100 });
    ix.keys[1].isSigner = false;
    await expectError(f, f.t.send(ix, { signers: [f.owner] }), "AccountNotSigner");
  });
});
