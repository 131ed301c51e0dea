// record_inference: a node's worker records one inference and charges its fee to the client's escrow in the
// same instruction; replays of a sequence or a recent request id are refused, gaps stay visible.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { inferenceLeafHash, label, toBigInt } from "../../ts-client/src/index.js";
import { expectError, expectEscrowError, expectUnchanged, hex, lastEvent } from "./expect.js";
import { formCluster, HOUR, inference, openEscrowFor, openNodeEscrow, provenanceFixture, registerNode, START } from "./fixture.js";

describe("provenance: record_inference", () => {
  it("Given a node's escrow, When its worker records an inference, Then the escrow is charged the fee under the leaf hash and the event says it all", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    const record = inference(1n, { units: 120n, fee: 6_000n });
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record, modelName: "llama-3.1-70b" });

    const recordHash = inferenceLeafHash({ node, escrow, record });
    const event = lastEvent(f, "inferenceRecorded");
    expect(event).to.deep.include({
      node: node.toBase58(),
      authority: f.worker.publicKey.toBase58(),
      escrow: escrow.toBase58(),
      client: f.client.publicKey.toBase58(),
      mint: "11111111111111111111111111111111",
      provider: node.toBase58(),
      modelName: hex(Buffer.from(label("llama-3.1-70b", 32))),
      recordHash: hex(recordHash),
      window: START / HOUR,
      recordedAt: START,
      lastSequence: 1n,
      inferenceCount: 1n,
    });
    expect(event.record).to.deep.equal({
      sequence: 1n,
      requestId: hex(record.requestId),
      modelId: hex(record.modelId),
      inputHash: hex(record.inputHash),
      outputHash: hex(record.outputHash),
      units: 120n,
      fee: 6_000n,
    });
    // the charge: pending in the escrow, with the leaf hash as its usage reference
    const state = await f.escrow.fetchEscrow(escrow);
    expect(toBigInt(state.pending)).to.equal(6_000n);
    expect(toBigInt(state.chargeCount)).to.equal(1n);
    const bucket = state.buckets.find((b) => toBigInt(b.amount) > 0n)!;
    expect(toBigInt(bucket.window)).to.equal(START / HOUR);
    const { createHash } = await import("node:crypto");
    expect(Buffer.from(bucket.usageChain)).to.deep.equal(createHash("sha256").update(Buffer.alloc(32)).update(recordHash).digest());
    const n = await f.provenance.fetchNode(node);
    expect([toBigInt(n.lastSequence), toBigInt(n.inferenceCount), toBigInt(n.recordCount), toBigInt(n.lastRecordedAt)]).to.deep.equal([1n, 1n, 1n, START]);
    console.log(`      record_inference: ${f.t.lastResult!.computeUnitsConsumed} CU`);
  });

  it("Given a cluster's escrow, When a member node records, Then the cluster is the provider and the escrow is charged", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f);
    const escrow = await openEscrowFor(f, c.cluster, await f.provenance.clusterPayees(c.cluster));
    await f.provenance.recordInference({ nodeAuthority: c.workers[3], node: c.nodes[3], target: { escrow, cluster: c.cluster }, record: inference(1n), modelName: "m" });
    expect(lastEvent(f, "inferenceRecorded").provider).to.equal(c.cluster.toBase58());
    expect(toBigInt((await f.escrow.fetchEscrow(escrow)).pending)).to.equal(5_000n);
    console.log(`      record_inference (cluster of 16): ${f.t.lastResult!.computeUnitsConsumed} CU`);
  });

  it("Given records landing out of order, When each sequence arrives once within 64 of the highest, Then all are accepted and gaps stay countable", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    for (const s of [5n, 2n, 9n, 3n]) {
      await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(s), modelName: "m" });
    }
    const n = await f.provenance.fetchNode(node);
    // 9 is the highest, 4 inferences recorded: 5 sequences skipped so far (1, 4, 6, 7, 8)
    expect([toBigInt(n.lastSequence), toBigInt(n.inferenceCount)]).to.deep.equal([9n, 4n]);
  });

  it("Given a recorded sequence, When it is recorded again, Then it is refused and nothing changes", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n), modelName: "m" });
    await expectUnchanged(f.t, [node, escrow], () =>
      expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n, { tag: "other" }), modelName: "m" }), "SequenceReused"),
    );
  });

  it("Given a sequence 64 or more below the highest, When it is recorded, Then it is refused as too old", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(100n), modelName: "m" });
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(36n), modelName: "m" }), "SequenceTooOld");
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(37n), modelName: "m" });
  });

  it("Given a recent request id, When a record reuses it under a new sequence, Then it is refused", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    const requestId = Buffer.alloc(16, 7);
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n, { requestId }), modelName: "m" });
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(2n, { requestId }), modelName: "m" }), "RequestIdReused");
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(2n, { requestId: Buffer.alloc(16) }), modelName: "m" }), "InvalidRequestId");
  });

  it("Given zero units or fee, a bad model name or sequence 0, When recorded, Then each is refused", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node);
    const record = (r: ReturnType<typeof inference>, modelName = "m") => f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: r, modelName });
    await expectError(f, record(inference(1n, { units: 0n })), "ZeroCharge");
    await expectError(f, record(inference(1n, { fee: 0n })), "ZeroCharge");
    await expectError(f, record(inference(0n)), "SequenceZero");
    const ix = await f.provenance.recordInferenceIx({ nodeAuthority: f.worker.publicKey, node, target: { escrow }, record: inference(1n), modelName: "m" });
    ix.data[ix.data.length - 32] = 0x07; // a control character in the model name
    await expectError(f, f.t.send(ix, { signers: [f.worker] }), "InvalidLabel");
  });

  it("Given the escrow's terms, When the fee exceeds units times the price or the balance, Then the escrow refuses the charge and nothing is recorded", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node, { maxPrice: 10n, deposit: 1_000n });
    await expectUnchanged(f.t, [node, escrow], () =>
      expectEscrowError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n, { units: 1n, fee: 11n }), modelName: "m" }), "PriceAboveTerms"),
    );
    await expectEscrowError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n, { units: 200n, fee: 1_001n }), modelName: "m" }), "InsufficientBalance");
    const n = await f.provenance.fetchNode(node);
    expect(toBigInt(n.lastSequence)).to.equal(0n);
  });

  it("Given an escrow that did not name provenance's meter, When a record charges it, Then the escrow refuses the meter", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const other = Keypair.generate().publicKey;
    const escrow = await openNodeEscrow(f, node, { providerMeter: other, programMeter: other });
    await expectEscrowError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(1n), modelName: "m" }), "NotMeter");
  });
});
