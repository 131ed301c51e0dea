// Inference leaves and batch headers (docs/provenance.md): the TypeScript twin of `InferenceLeaf`,
// `BatchHeader`, `leaf_hash` and `batch_hash` in programs/provenance/src/state.rs. Golden vectors in
// both test suites keep them equal, and tests/provenance/leaf.test.ts checks these fixed-offset
// encoders against Anchor's coder built from the IDL.
import { hash as nodeHash } from "node:crypto";
import type { PublicKey } from "@solana/web3.js";
import { LEAF_PREFIX } from "../merkle.js";

/** Bytes of an `InferenceRecord`: sequence, request id, model id, input and output hashes, units, fee. */
export const INFERENCE_RECORD_LEN = 136;
/** Bytes of an `InferenceLeaf`: node, escrow, then the record. */
export const INFERENCE_LEAF_LEN = 200;
/** Bytes of a `BatchSummary`: root, first sequence, leaf count, total units, total fee. */
export const BATCH_SUMMARY_LEN = 60;
/** Bytes of a `BatchHeader`: node, escrow, then the summary. */
export const BATCH_HEADER_LEN = 124;
/** First byte of a batch hash's preimage (leaves are 0x00, inner nodes 0x01). */
export const BATCH_PREFIX = 0x02;
const U64_MAX = (1n << 64n) - 1n;

/** What a node records about one inference. */
export interface InferenceRecord {
  /** The node's sequence number of this inference (from 1). */
  readonly sequence: bigint;
  /** The client's request id: 16 bytes, not all zero. */
  readonly requestId: Uint8Array;
  /** Hash identifying the model. */
  readonly modelId: Uint8Array;
  readonly inputHash: Uint8Array;
  readonly outputHash: Uint8Array;
  /** Tokens or GPU-seconds. */
  readonly units: bigint;
  /** What the client pays, in the escrow's mint. */
  readonly fee: bigint;
}

/** What a node commits to for a batch. */
export interface BatchSummary {
  /** Merkle root over the batch's leaves. */
  readonly root: Uint8Array;
  readonly firstSequence: bigint;
  readonly leafCount: number;
  readonly totalUnits: bigint;
  readonly totalFee: bigint;
}

/** An inference leaf: the record with the node that ran it and the escrow that pays for it. */
export interface InferenceLeaf {
  readonly node: PublicKey;
  readonly escrow: PublicKey;
  readonly record: InferenceRecord;
}

const sha256 = (data: Uint8Array): Buffer => nodeHash("sha256", data, "buffer") as unknown as Buffer;

function put(out: Uint8Array, offset: number, bytes: Uint8Array, size: number, what: string): void {
  if (bytes.length !== size) throw new RangeError(`${what} has ${size} bytes, got ${bytes.length}`);
  out.set(bytes, offset);
}

function putU64(view: DataView, offset: number, value: bigint, what: string): void {
  if (value < 0n || value > U64_MAX) throw new RangeError(`${what} ${value} is not a u64`);
  view.setBigUint64(offset, value, true);
}

function dataView(out: Uint8Array): DataView {
  return new DataView(out.buffer, out.byteOffset, out.byteLength);
}

/** Writes the 136 bytes of `record` at `offset` of `out` (a new buffer by default). */
export function encodeInferenceRecord(record: InferenceRecord, out: Uint8Array = Buffer.alloc(INFERENCE_RECORD_LEN), offset = 0): Uint8Array {
  const view = dataView(out);
  putU64(view, offset, record.sequence, "sequence");
  put(out, offset + 8, record.requestId, 16, "request id");
  put(out, offset + 24, record.modelId, 32, "model id");
  put(out, offset + 56, record.inputHash, 32, "input hash");
  put(out, offset + 88, record.outputHash, 32, "output hash");
  putU64(view, offset + 120, record.units, "units");
  putU64(view, offset + 128, record.fee, "fee");
  return out;
}

/** Reads the record encoded at `offset` of `bytes`. */
export function decodeInferenceRecord(bytes: Uint8Array, offset = 0): InferenceRecord {
  const view = dataView(bytes);
  const slice = (start: number, len: number) => Uint8Array.from(bytes.subarray(offset + start, offset + start + len));
  return {
    sequence: view.getBigUint64(offset, true),
    requestId: slice(8, 16),
    modelId: slice(24, 32),
    inputHash: slice(56, 32),
    outputHash: slice(88, 32),
    units: view.getBigUint64(offset + 120, true),
    fee: view.getBigUint64(offset + 128, true),
  };
}

/** node ++ escrow ++ record: the 200 bytes of an inference leaf. */
export function encodeInferenceLeaf(leaf: InferenceLeaf): Buffer {
  const out = Buffer.alloc(INFERENCE_LEAF_LEN);
  out.set(leaf.node.toBytes(), 0);
  out.set(leaf.escrow.toBytes(), 32);
  encodeInferenceRecord(leaf.record, out, 64);
  return out;
}

/** sha256(0x00 ++ leaf): the tree leaf, and the usage reference a single record charges with. */
export function inferenceLeafHash(leaf: InferenceLeaf): Buffer {
  const pre = Buffer.alloc(1 + INFERENCE_LEAF_LEN);
  pre[0] = LEAF_PREFIX;
  pre.set(encodeInferenceLeaf(leaf), 1);
  return sha256(pre);
}

/** The 60 bytes of a batch summary. */
export function encodeBatchSummary(summary: BatchSummary, out: Uint8Array = Buffer.alloc(BATCH_SUMMARY_LEN), offset = 0): Uint8Array {
  const view = dataView(out);
  put(out, offset, summary.root, 32, "root");
  putU64(view, offset + 32, summary.firstSequence, "first sequence");
  if (!Number.isInteger(summary.leafCount) || summary.leafCount < 1 || summary.leafCount > 0xffff_ffff) {
    throw new RangeError(`leaf count ${summary.leafCount} is not a positive u32`);
  }
  view.setUint32(offset + 40, summary.leafCount, true);
  putU64(view, offset + 44, summary.totalUnits, "total units");
  putU64(view, offset + 52, summary.totalFee, "total fee");
  return out;
}

/** node ++ escrow ++ summary: the 124 bytes of a batch header. */
export function encodeBatchHeader(node: PublicKey, escrow: PublicKey, summary: BatchSummary): Buffer {
  const out = Buffer.alloc(BATCH_HEADER_LEN);
  out.set(node.toBytes(), 0);
  out.set(escrow.toBytes(), 32);
  encodeBatchSummary(summary, out, 64);
  return out;
}

/** sha256(0x02 ++ header): the batch's identity (escrow usage reference, batch log entry, disputes). */
export function batchHash(node: PublicKey, escrow: PublicKey, summary: BatchSummary): Buffer {
  const pre = Buffer.alloc(1 + BATCH_HEADER_LEN);
  pre[0] = BATCH_PREFIX;
  pre.set(encodeBatchHeader(node, escrow, summary), 1);
  return sha256(pre);
}
