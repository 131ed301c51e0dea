// verify_inclusion: anyone proves on chain that an inference leaf belongs to a batch in a node's batch log;
// the same proofs verify offline in TypeScript. Tampered leaves, proofs and batches are refused by both.
import { expect } from "chai";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { inferenceLeafHash, InferenceBatch, type InferenceLeaf, verifyInferenceInclusion } from "../../ts-client/src/index.js";
import { expectError } from "./expect.js";
import { inference, openNodeEscrow, type ProvenanceFixture, provenanceFixture, registerNode } from "./fixture.js";

async function recordedBatch(f: ProvenanceFixture, count: number) {
  const node = await registerNode(f);
  const escrow = await openNodeEscrow(f, node);
  const batchLog = Keypair.generate();
  await f.provenance.openBatchLog({ payer: f.worker, node, batchLog, capacity: 3 });
  const records = Array.from({ length: count }, (_, i) => inference(BigInt(i + 1), { fee: 3n }));
  const batch = InferenceBatch.fromRecords(node, escrow, records);
  await f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog: batchLog.publicKey, target: { escrow }, batch });
  const leaf = (i: number): InferenceLeaf => ({ node, escrow, record: records[i] });
  return { node, escrow, batchLog: batchLog.publicKey, batch, leaf };
}

function verify(f: ProvenanceFixture, batchLog: PublicKey, batch: InferenceBatch, leaf: InferenceLeaf, proof: Uint8Array[], slot = 0) {
  return f.provenance.verifyInclusion({ batchLog, slot, batch: batch.summary, leaf, proof });
}

describe("provenance: verify_inclusion", () => {
  it("Given a recorded batch, When each leaf's proof is verified on chain and offline, Then both accept it and nothing changes", async () => {
    const f = await provenanceFixture();
    const { batchLog, batch, leaf } = await recordedBatch(f, 7);
    for (let i = 0; i < 7; i++) {
      const proof = batch.proof(i);
      expect(verifyInferenceInclusion(leaf(i), proof, batch.summary)).to.equal(true);
      expect(inferenceLeafHash(leaf(i))).to.deep.equal(batch.leafHash(i));
      const before = f.t.account(batchLog)!.data;
      await verify(f, batchLog, batch, leaf(i), proof);
      expect(f.t.lastResult!.err).to.equal(null);
      expect(f.t.lastResult!.innerInstructions.flat(), "no event, no CPI").to.deep.equal([]);
      expect(f.t.account(batchLog)!.data).to.deep.equal(before);
    }
  });

  it("Given a tampered leaf (its fee, output or sequence changed), When verified, Then both refuse it", async () => {
    const f = await provenanceFixture();
    const { batchLog, batch, leaf } = await recordedBatch(f, 7);
    const proof = batch.proof(2);
    const tampered: InferenceLeaf[] = [
      { ...leaf(2), record: { ...leaf(2).record, fee: 2n } },
      { ...leaf(2), record: { ...leaf(2).record, outputHash: Buffer.alloc(32, 9) } },
      { ...leaf(2), record: { ...leaf(2).record, sequence: 4n } },
    ];
    for (const t of tampered) {
      expect(verifyInferenceInclusion(t, proof, batch.summary)).to.equal(false);
      await expectError(f, verify(f, batchLog, batch, t, proof), "InvalidProof");
    }
  });

  it("Given a tampered proof or a leaf outside the batch's range, When verified, Then it is refused", async () => {
    const f = await provenanceFixture();
    const { batchLog, batch, leaf } = await recordedBatch(f, 7);
    const proof = batch.proof(0);
    const flipped = proof.map((h, i) => (i === 1 ? Buffer.from(h.map((b) => b ^ 1)) : h));
    expect(verifyInferenceInclusion(leaf(0), flipped, batch.summary)).to.equal(false);
    await expectError(f, verify(f, batchLog, batch, leaf(0), flipped), "InvalidProof");
    await expectError(f, verify(f, batchLog, batch, leaf(0), proof.slice(1)), "InvalidProof");
    const outside = { ...leaf(0), record: { ...leaf(0).record, sequence: 8n } };
    expect(verifyInferenceInclusion(outside, proof, batch.summary)).to.equal(false);
    await expectError(f, verify(f, batchLog, batch, outside, proof), "LeafNotInBatch");
  });

  it("Given a batch that was not recorded (other totals, other slot, other escrow or node), When verified, Then it is unknown", async () => {
    const f = await provenanceFixture();
    const { node, batchLog, batch, leaf } = await recordedBatch(f, 4);
    const proof = batch.proof(1);
    const forged = { ...batch.summary, totalFee: batch.summary.totalFee + 1n };
    await expectError(f, f.provenance.verifyInclusion({ batchLog, slot: 0, batch: forged, leaf: leaf(1), proof }), "UnknownBatch");
    await expectError(f, verify(f, batchLog, batch, leaf(1), proof, 1), "UnknownBatch");
    await expectError(f, verify(f, batchLog, batch, leaf(1), proof, 99), "UnknownBatch");
    const otherEscrow = { ...leaf(1), escrow: Keypair.generate().publicKey };
    await expectError(f, verify(f, batchLog, batch, otherEscrow, proof), "UnknownBatch");
    const otherNode = { ...leaf(1), node: Keypair.generate().publicKey };
    await expectError(f, verify(f, batchLog, batch, otherNode, proof), "LeafNotInBatch");
    expect(node).to.not.equal(undefined);
  });
});
