// A 100,000-inference batch end to end: built in TypeScript, recorded with its escrow charge in one
// instruction, leaves proven on chain (first, last and random ones) and offline, tampered ones refused.
import { expect } from "chai";
import { Keypair } from "@solana/web3.js";
import { decodeInferenceRecord, encodeInferenceRecord, INFERENCE_RECORD_LEN, InferenceBatch, toBigInt, verifyInferenceInclusion } from "../../ts-client/src/index.js";
import { expectError } from "./expect.js";
import { inference, openNodeEscrow, provenanceFixture, registerNode } from "./fixture.js";

const COUNT = 100_000;

describe("provenance: a 100,000-leaf batch end to end", () => {
  it("Given 100,000 inferences, When recorded as one batch, Then the escrow is charged their total and any leaf proves on chain while tampered ones fail", async () => {
    const f = await provenanceFixture();
    const node = await registerNode(f);
    const escrow = await openNodeEscrow(f, node, { deposit: 1_000_000_000n });
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: f.worker, node, batchLog, capacity: 8 });

    const encoded = Buffer.alloc(COUNT * INFERENCE_RECORD_LEN);
    for (let i = 0; i < COUNT; i++) encodeInferenceRecord(inference(BigInt(i + 1), { units: 10n, fee: 7n }), encoded, i * INFERENCE_RECORD_LEN);
    const started = performance.now();
    const batch = InferenceBatch.fromEncodedRecords(node, escrow, encoded);
    const built = performance.now() - started;
    expect(batch.summary).to.deep.include({ firstSequence: 1n, leafCount: COUNT, totalUnits: 1_000_000n, totalFee: 700_000n });
    expect(batch.tree.depth).to.equal(17);

    await f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog: batchLog.publicKey, target: { escrow }, batch });
    const cu = f.t.lastResult!.computeUnitsConsumed;
    expect(toBigInt((await f.escrow.fetchEscrow(escrow)).pending)).to.equal(700_000n);
    expect(toBigInt((await f.provenance.fetchNode(node)).inferenceCount)).to.equal(BigInt(COUNT));

    const leafAt = (i: number) => ({ node, escrow, record: decodeInferenceRecord(encoded, i * INFERENCE_RECORD_LEN) });
    // offline: every 97th leaf
    for (let i = 0; i < COUNT; i += 97) expect(verifyInferenceInclusion(leafAt(i), batch.proof(i), batch.summary), `leaf ${i}`).to.equal(true);
    // on chain: first, last and a few in between
    for (const i of [0, COUNT - 1, 31_337, 65_536, 99_998]) {
      await f.provenance.verifyInclusion({ batchLog: batchLog.publicKey, slot: 0, batch: batch.summary, leaf: leafAt(i), proof: batch.proof(i) });
    }
    const tampered = { ...leafAt(50_000), record: { ...leafAt(50_000).record, units: 11n } };
    expect(verifyInferenceInclusion(tampered, batch.proof(50_000), batch.summary)).to.equal(false);
    await expectError(f, f.provenance.verifyInclusion({ batchLog: batchLog.publicKey, slot: 0, batch: batch.summary, leaf: tampered, proof: batch.proof(50_000) }), "InvalidProof");
    // a real leaf with another leaf's proof
    await expectError(f, f.provenance.verifyInclusion({ batchLog: batchLog.publicKey, slot: 0, batch: batch.summary, leaf: leafAt(10), proof: batch.proof(11) }), "InvalidProof");
    console.log(`      built in ${built.toFixed(0)} ms; record_batch ${cu} CU`);
  });
});
