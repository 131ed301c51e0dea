// Batches of inferences: the tree over their leaves, its summary (root, sequence range, totals) and
// hash, proofs, and offline verification. `record_batch` commits the summary; `verify_inclusion` checks a
// leaf and proof on chain the way `verifyInferenceInclusion` does here.
import { hash as nodeHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { PublicKey } from "@solana/web3.js";
import { LEAF_PREFIX, MerkleTree, verifyProof } from "../merkle.js";
import {
  type BatchSummary,
  batchHash,
  encodeInferenceRecord,
  INFERENCE_LEAF_LEN,
  INFERENCE_RECORD_LEN,
  type InferenceLeaf,
  type InferenceRecord,
  inferenceLeafHash,
} from "./leaf.js";

const U64_MAX = (1n << 64n) - 1n;

/** Most leaves in one batch (a u32 count; proofs are then at most 32 deep). */
export const MAX_BATCH_LEAVES = 0xffff_ffff;

const sha256Into = (data: Uint8Array): Buffer => nodeHash("sha256", data, "buffer") as unknown as Buffer;

/** A node's batch for one escrow: leaves in sequence order, the tree over them and its summary. */
export class InferenceBatch {
  private batchHashCache: Buffer | undefined;

  private constructor(
    readonly node: PublicKey,
    readonly escrow: PublicKey,
    readonly tree: MerkleTree,
    readonly summary: BatchSummary,
  ) {}

  /** From records in sequence order: record i must have sequence `records[0].sequence + i`. */
  static fromRecords(node: PublicKey, escrow: PublicKey, records: readonly InferenceRecord[]): InferenceBatch {
    const encoded = Buffer.alloc(records.length * INFERENCE_RECORD_LEN);
    records.forEach((record, i) => encodeInferenceRecord(record, encoded, i * INFERENCE_RECORD_LEN));
    return InferenceBatch.fromEncodedRecords(node, escrow, encoded);
  }

  /**
   * From records already encoded back to back (136 bytes each, `encodeInferenceRecord`): the fast path
   * for large batches, with no object per inference. Checks that the sequences follow each other and
   * that the totals fit a u64.
   */
  static fromEncodedRecords(node: PublicKey, escrow: PublicKey, encoded: Uint8Array): InferenceBatch {
    const checked = checkRecords(encoded);
    return InferenceBatch.assemble(node, escrow, checked, hashLeaves(node, escrow, encoded, 0, checked.count, Buffer.allocUnsafe(checked.count * 32)));
  }

  /** As `fromEncodedRecords`, hashing the leaves on `threads` worker threads (default: one per core). */
  static async fromEncodedRecordsParallel(node: PublicKey, escrow: PublicKey, encoded: Uint8Array, threads = availableParallelism()): Promise<InferenceBatch> {
    const checked = checkRecords(encoded);
    return InferenceBatch.assemble(node, escrow, checked, await hashLeavesParallel(node, escrow, encoded, checked.count, threads));
  }

  private static assemble(node: PublicKey, escrow: PublicKey, checked: CheckedRecords, leafHashes: Buffer): InferenceBatch {
    const tree = MerkleTree.fromLeafHashes(leafHashes);
    const { firstSequence, count, totalUnits, totalFee } = checked;
    return new InferenceBatch(node, escrow, tree, { root: tree.root, firstSequence, leafCount: count, totalUnits, totalFee });
  }

  get leafCount(): number {
    return this.summary.leafCount;
  }

  /** sha256(0x02 ++ node ++ escrow ++ summary): the batch's identity and its charge's usage reference. */
  get hash(): Buffer {
    this.batchHashCache ??= batchHash(this.node, this.escrow, this.summary);
    return Buffer.from(this.batchHashCache);
  }

  /** Index of the leaf with `sequence`. */
  indexOf(sequence: bigint): number {
    const offset = sequence - this.summary.firstSequence;
    if (offset < 0n || offset >= BigInt(this.summary.leafCount)) throw new RangeError(`sequence ${sequence} is not in the batch`);
    return Number(offset);
  }

  leafHash(index: number): Buffer {
    return this.tree.leafHash(index);
  }

  /** Sibling hashes from leaf `index` up to the root, copied out of the tree (one allocation). */
  proof(index: number): Buffer[] {
    const views = this.tree.proof(index);
    const out = Buffer.allocUnsafe(views.length * 32);
    return views.map((h, i) => {
      h.copy(out, i * 32);
      return out.subarray(i * 32, i * 32 + 32);
    });
  }
}

/**
 * What `verify_inclusion` checks, offline: the leaf's sequence lies in the batch's range and the proof
 * links its hash to the root. (On chain the batch must also be in the node's batch log.)
 */
export function verifyInferenceInclusion(leaf: InferenceLeaf, proof: readonly Uint8Array[], summary: BatchSummary): boolean {
  const offset = leaf.record.sequence - summary.firstSequence;
  if (offset < 0n || offset >= BigInt(summary.leafCount)) return false;
  return verifyProof(inferenceLeafHash(leaf), proof, summary.root);
}

interface CheckedRecords {
  readonly firstSequence: bigint;
  readonly count: number;
  readonly totalUnits: bigint;
  readonly totalFee: bigint;
}

/** Sequences that follow each other from a non-zero first one, and totals that fit a u64. */
function checkRecords(encoded: Uint8Array): CheckedRecords {
  if (encoded.length === 0 || encoded.length % INFERENCE_RECORD_LEN !== 0) {
    throw new RangeError(`encoded records are a positive multiple of ${INFERENCE_RECORD_LEN} bytes`);
  }
  const count = encoded.length / INFERENCE_RECORD_LEN;
  if (count > MAX_BATCH_LEAVES) throw new RangeError(`a batch holds at most ${MAX_BATCH_LEAVES} leaves`);
  const records = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const firstSequence = records.readBigUInt64LE(0);
  if (firstSequence === 0n) throw new RangeError("sequences start at 1");
  if (firstSequence + BigInt(count) - 1n > U64_MAX) throw new RangeError("the batch's sequences exceed a u64");
  // u64s as two u32 halves: no BigInt per leaf. Sums of up to 2^32 halves stay exact in a double.
  let seqLo = Number(firstSequence & 0xffff_ffffn);
  let seqHi = Number(firstSequence >> 32n);
  let unitsLo = 0;
  let unitsHi = 0;
  let feeLo = 0;
  let feeHi = 0;
  for (let i = 0, at = 0; i < count; i++, at += INFERENCE_RECORD_LEN) {
    if (records.readUInt32LE(at) !== seqLo || records.readUInt32LE(at + 4) !== seqHi) {
      throw new RangeError(`leaf ${i} must have sequence ${firstSequence + BigInt(i)}`);
    }
    unitsLo += records.readUInt32LE(at + 120);
    unitsHi += records.readUInt32LE(at + 124);
    feeLo += records.readUInt32LE(at + 128);
    feeHi += records.readUInt32LE(at + 132);
    seqLo += 1;
    if (seqLo === 0x1_0000_0000) {
      seqLo = 0;
      seqHi += 1;
    }
  }
  const totalUnits = (BigInt(unitsHi) << 32n) + BigInt(unitsLo);
  const totalFee = (BigInt(feeHi) << 32n) + BigInt(feeLo);
  if (totalUnits > U64_MAX || totalFee > U64_MAX) throw new RangeError("the batch's totals exceed a u64");
  return { firstSequence, count, totalUnits, totalFee };
}

/** sha256(0x00 ++ node ++ escrow ++ record) of records `from .. to`, into `out` at their index. */
function hashLeaves(node: PublicKey, escrow: PublicKey, encoded: Uint8Array, from: number, to: number, out: Buffer): Buffer {
  const records = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  // one preimage buffer: 0x00 ++ node ++ escrow stay, each record is copied behind them
  const preimage = Buffer.alloc(1 + INFERENCE_LEAF_LEN);
  preimage[0] = LEAF_PREFIX;
  preimage.set(node.toBytes(), 1);
  preimage.set(escrow.toBytes(), 33);
  for (let i = from; i < to; i++) {
    records.copy(preimage, 65, i * INFERENCE_RECORD_LEN, (i + 1) * INFERENCE_RECORD_LEN);
    sha256Into(preimage).copy(out, i * 32);
  }
  return out;
}

/**
 * The same loop as `hashLeaves`, as a worker script (plain JavaScript, so it runs without a TypeScript
 * loader): records and hashes live in SharedArrayBuffers, each worker takes a range.
 */
const HASH_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { hash } = require("node:crypto");
const { records, hashes, prefix, from, to } = workerData;
const input = Buffer.from(records);
const out = Buffer.from(hashes);
const preimage = Buffer.alloc(${1 + INFERENCE_LEAF_LEN});
Buffer.from(prefix).copy(preimage, 0);
for (let i = from; i < to; i++) {
  input.copy(preimage, 65, i * ${INFERENCE_RECORD_LEN}, (i + 1) * ${INFERENCE_RECORD_LEN});
  hash("sha256", preimage, "buffer").copy(out, i * 32);
}
parentPort.postMessage(to - from);
`;

async function hashLeavesParallel(node: PublicKey, escrow: PublicKey, encoded: Uint8Array, count: number, threads: number): Promise<Buffer> {
  const workers = Math.max(1, Math.min(threads, Math.ceil(count / 10_000)));
  if (workers === 1) return hashLeaves(node, escrow, encoded, 0, count, Buffer.allocUnsafe(count * 32));
  const records = new SharedArrayBuffer(encoded.length);
  new Uint8Array(records).set(encoded);
  const hashes = new SharedArrayBuffer(count * 32);
  const prefix = Buffer.alloc(65);
  prefix[0] = LEAF_PREFIX;
  prefix.set(node.toBytes(), 1);
  prefix.set(escrow.toBytes(), 33);
  const share = Math.ceil(count / workers);
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const [from, to] = [w * share, Math.min(count, (w + 1) * share)];
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(HASH_WORKER, { eval: true, workerData: { records, hashes, prefix, from, to } });
        worker.once("message", () => resolve());
        worker.once("error", reject);
        worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`leaf hashing worker exited with ${code}`))));
      });
    }),
  );
  return Buffer.from(hashes);
}
