// record_batch: a node commits a merkle root over a batch of inference leaves with its sequence range and
// totals, charges the total to the escrow under the batch hash, and keeps the batch hash in its batch log
// until the charge can no longer be disputed.
import { expect } from "chai";
import { Keypair, type PublicKey } from "@solana/web3.js";
import { batchHash, InferenceBatch, toBigInt } from "../../ts-client/src/index.js";
import { expectError, expectEscrowError, expectUnchanged, hex, lastEvent } from "./expect.js";
import { formCluster, HOUR, inference, openEscrowFor, openNodeEscrow, type ProvenanceFixture, provenanceFixture, registerNode, START } from "./fixture.js";

/** A node with an escrow and a batch log of `capacity` slots. */
async function nodeWithLog(f: ProvenanceFixture, capacity = 4, window = HOUR) {
  const node = await registerNode(f);
  const escrow = await openNodeEscrow(f, node, { window });
  const batchLog = Keypair.generate();
  await f.provenance.openBatchLog({ payer: f.owner, node, batchLog, capacity });
  return { node, escrow, batchLog: batchLog.publicKey };
}

function batchOf(node: PublicKey, escrow: PublicKey, first: bigint, count: number, fee = 5_000n): InferenceBatch {
  return InferenceBatch.fromRecords(node, escrow, Array.from({ length: count }, (_, i) => inference(first + BigInt(i), { fee })));
}

describe("provenance: record_batch", () => {
  it("Given a batch of 5,000 inferences, When the worker records it, Then the escrow is charged its total under the batch hash, the log keeps it, and the event says it all", async () => {
    const f = await provenanceFixture();
    const { node, escrow, batchLog } = await nodeWithLog(f);
    const batch = batchOf(node, escrow, 1n, 5_000, 20n);
    await f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch });

    const event = lastEvent(f, "batchRecorded");
    const expiresAt = (START / HOUR + 2n) * HOUR;
    expect(event).to.deep.include({
      node: node.toBase58(),
      authority: f.worker.publicKey.toBase58(),
      escrow: escrow.toBase58(),
      client: f.client.publicKey.toBase58(),
      provider: node.toBase58(),
      batchHash: hex(batch.hash),
      lastSequence: 5_000n,
      batchLog: batchLog.toBase58(),
      slot: 0,
      expiresAt,
      window: START / HOUR,
      recordedAt: START,
      inferenceCount: 5_000n,
      batchCount: 1n,
    });
    expect(event.batch).to.deep.equal({ root: hex(batch.summary.root), firstSequence: 1n, leafCount: 5_000, totalUnits: 500_000n, totalFee: 100_000n });
    expect(batch.hash).to.deep.equal(batchHash(node, escrow, batch.summary));
    const state = await f.escrow.fetchEscrow(escrow);
    expect(toBigInt(state.pending)).to.equal(100_000n);
    const log = await f.provenance.fetchBatchLog(batchLog);
    expect(log.head).to.equal(1);
    expect(Buffer.from(log.entries[0].batchHash)).to.deep.equal(batch.hash);
    expect(toBigInt(log.entries[0].expiresAt)).to.equal(expiresAt);
    const n = await f.provenance.fetchNode(node);
    expect([toBigInt(n.lastSequence), toBigInt(n.inferenceCount), toBigInt(n.batchCount), toBigInt(n.recordCount)]).to.deep.equal([5_000n, 5_000n, 1n, 0n]);
    console.log(`      record_batch: ${f.t.lastResult!.computeUnitsConsumed} CU`);
  });

  it("Given a cluster's escrow, When a member records a batch, Then the cluster is the provider", async () => {
    const f = await provenanceFixture();
    const c = await formCluster(f);
    const escrow = await openEscrowFor(f, c.cluster, await f.provenance.clusterPayees(c.cluster));
    const batchLog = Keypair.generate();
    await f.provenance.openBatchLog({ payer: c.workers[0], node: c.nodes[0], batchLog, capacity: 2 });
    const batch = batchOf(c.nodes[0], escrow, 1n, 10);
    await f.provenance.recordBatch({ nodeAuthority: c.workers[0], node: c.nodes[0], batchLog: batchLog.publicKey, target: { escrow, cluster: c.cluster }, batch });
    expect(lastEvent(f, "batchRecorded").provider).to.equal(c.cluster.toBase58());
  });

  it("Given single records and batches, When they follow each other, Then sequences continue across both and a batch must start above the highest", async () => {
    const f = await provenanceFixture();
    const { node, escrow, batchLog } = await nodeWithLog(f);
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(3n), modelName: "m" });
    await expectError(f, f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch: batchOf(node, escrow, 3n, 5) }), "BatchBeforeLastSequence");
    await f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch: batchOf(node, escrow, 4n, 5) });
    // every sequence of the batch is taken: a single record cannot reuse one
    await expectError(f, f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(6n), modelName: "m" }), "SequenceReused");
    await f.provenance.recordInference({ nodeAuthority: f.worker, node, target: { escrow }, record: inference(2n), modelName: "m" });
    const n = await f.provenance.fetchNode(node);
    expect([toBigInt(n.lastSequence), toBigInt(n.inferenceCount)]).to.deep.equal([8n, 7n]);
  });

  it("Given a full batch log, When a batch is recorded before the oldest slot's dispute time, Then it is refused until then or until the log grows", async () => {
    const f = await provenanceFixture();
    const { node, escrow, batchLog } = await nodeWithLog(f, 2);
    await f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch: batchOf(node, escrow, 1n, 3) });
    await f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch: batchOf(node, escrow, 4n, 3) });
    await expectUnchanged(f.t, [node, escrow, batchLog], () =>
      expectError(f, f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch: batchOf(node, escrow, 7n, 3) }), "BatchLogFull"),
    );
    // two windows later the first batch can no longer be disputed: its slot is reused
    f.t.warp({ unixTimestamp: (START / HOUR + 2n) * HOUR });
    await f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch: batchOf(node, escrow, 7n, 3) });
    expect(lastEvent(f, "batchRecorded").slot).to.equal(0);
  });

  it("Given an empty batch or zero totals, When recorded, Then each is refused", async () => {
    const f = await provenanceFixture();
    const { node, escrow, batchLog } = await nodeWithLog(f);
    const batch = batchOf(node, escrow, 1n, 3);
    const record = (summary: typeof batch.summary) => f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch: summary });
    await expectError(f, record({ ...batch.summary, totalFee: 0n }), "ZeroCharge");
    await expectError(f, record({ ...batch.summary, totalUnits: 0n }), "ZeroCharge");
    const ix = await f.provenance.recordBatchIx({ nodeAuthority: f.worker.publicKey, node, batchLog, target: { escrow }, batch });
    ix.data.writeUInt32LE(0, 8 + 40); // leaf_count
    await expectError(f, f.t.send(ix, { signers: [f.worker] }), "EmptyBatch");
    await expectError(f, record({ ...batch.summary, firstSequence: 0n }), "BatchBeforeLastSequence");
  });

  it("Given a batch total above the escrow's terms, When recorded, Then the escrow refuses and the log slot stays free", async () => {
    const f = await provenanceFixture();
    const { node, escrow, batchLog } = await nodeWithLog(f);
    const batch = batchOf(node, escrow, 1n, 3, 10n ** 12n);
    await expectUnchanged(f.t, [node, escrow, batchLog], () =>
      expectEscrowError(f, f.provenance.recordBatch({ nodeAuthority: f.worker, node, batchLog, target: { escrow }, batch }), "PriceAboveTerms"),
    );
  });

  it("Given another node's batch log, When a node records into it, Then it is refused", async () => {
    const f = await provenanceFixture();
    const a = await nodeWithLog(f);
    const b = await nodeWithLog(f);
    await expectError(f, f.provenance.recordBatch({ nodeAuthority: f.worker, node: a.node, batchLog: b.batchLog, target: { escrow: a.escrow }, batch: batchOf(a.node, a.escrow, 1n, 2) }), "BatchLogMismatch");
  });
});
