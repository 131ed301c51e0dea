// Validation of JSON-RPC params at the edge: positional arrays, config objects, and the value types of a
// Solana RPC (base58 keys and signatures, commitments, encodings), each failing with -32602 and the reason.
import { base58Decode } from "../chain/base58.js";
import type { Commitment } from "../chain/chain.js";
import { invalidParams } from "./errors.js";

/** The positional params of a call: an array (or nothing) of at most `max` items, `min` required. */
export function positional(params: unknown, min: number, max: number): unknown[] {
  if (params === undefined || params === null) {
    if (min > 0) throw invalidParams(`Invalid params: expected at least ${min} parameter${min === 1 ? "" : "s"}`);
    return [];
  }
  if (!Array.isArray(params)) throw invalidParams("Invalid params: params must be an array");
  if (params.length < min) throw invalidParams(`Invalid params: invalid length ${params.length}, expected at least ${min}`);
  if (params.length > max) throw invalidParams(`Invalid params: invalid length ${params.length}, expected at most ${max}`);
  return params;
}

/** A config object (or nothing); its fields are read with the helpers below. */
export function config(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParams("Invalid params: expected a config object");
  return value as Record<string, unknown>;
}

export function optionalString(cfg: Record<string, unknown>, field: string): string | undefined {
  const value = cfg[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidParams(`Invalid params: ${field} must be a string`);
  return value;
}

export function optionalBoolean(cfg: Record<string, unknown>, field: string): boolean | undefined {
  const value = cfg[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalidParams(`Invalid params: ${field} must be a boolean`);
  return value;
}

/** A non-negative safe integer field (u64 values beyond 2^53 are refused). */
export function optionalU64(cfg: Record<string, unknown>, field: string): number | undefined {
  const value = cfg[field];
  if (value === undefined || value === null) return undefined;
  return u64(value, field);
}

export function u64(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw invalidParams(`Invalid params: ${what} must be a non-negative integer`);
  }
  return value;
}

/** A base58 public key; the key's 32 bytes and its canonical text. */
export function pubkey(value: unknown, what = "pubkey"): { key: Buffer; address: string } {
  if (typeof value !== "string") throw invalidParams(`Invalid params: ${what} must be a base58 string`);
  const bytes = base58Decode(value);
  if (bytes === undefined) throw invalidParams("Invalid param: Invalid");
  if (value.length > 44 || bytes.length !== 32) throw invalidParams("Invalid param: WrongSize");
  // Base58 text decodes to one byte string and back to the same text: `value` is the canonical address.
  return { key: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), address: value };
}

/** A base58 transaction signature. */
export function signature(value: unknown): string {
  if (typeof value !== "string") throw invalidParams("Invalid params: signature must be a base58 string");
  const bytes = base58Decode(value);
  if (bytes === undefined) throw invalidParams("Invalid param: Invalid");
  if (bytes.length !== 64) throw invalidParams("Invalid param: WrongSize");
  // Base58 text decodes to one byte string and back to the same text: `value` is canonical.
  return value;
}

const COMMITMENTS: Record<string, Commitment> = {
  processed: "processed",
  confirmed: "confirmed",
  finalized: "finalized",
  // Deprecated names a node still accepts.
  recent: "processed",
  single: "confirmed",
  singleGossip: "confirmed",
  root: "finalized",
  max: "finalized",
};

/** The commitment of a config (default finalized, as a node). */
export function commitment(cfg: Record<string, unknown>, fallback: Commitment = "finalized"): Commitment {
  const value = cfg.commitment;
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "string" || !(value in COMMITMENTS)) {
    throw invalidParams(`Invalid params: unknown commitment ${JSON.stringify(value)}`);
  }
  return COMMITMENTS[value];
}

/** A commitment for methods that serve only confirmed history (getTransaction, getBlock, ...). */
export function historyCommitment(cfg: Record<string, unknown>): Exclude<Commitment, "processed"> {
  const level = commitment(cfg);
  if (level === "processed") throw invalidParams("Method does not support commitment below `confirmed`");
  return level;
}

/** One of `allowed`, or `fallback` when absent. */
export function oneOf<T extends string>(cfg: Record<string, unknown>, field: string, allowed: readonly T[], fallback: T): T {
  const value = cfg[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw invalidParams(`Invalid params: unknown variant \`${String(value)}\` for ${field}, expected one of ${allowed.map((a) => `\`${a}\``).join(", ")}`);
  }
  return value as T;
}

/** `dataSlice` of account queries. */
export function dataSlice(cfg: Record<string, unknown>): { offset: number; length: number } | undefined {
  const value = cfg.dataSlice;
  if (value === undefined || value === null) return undefined;
  const slice = config(value);
  const offset = optionalU64(slice, "offset");
  const length = optionalU64(slice, "length");
  if (offset === undefined || length === undefined) throw invalidParams("Invalid params: dataSlice needs offset and length");
  return { offset, length };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Bytes of a base64 string; -32602 naming `what` if it is not base64. */
export function base64(text: string, what: string): Buffer {
  if (!BASE64.test(text) || text.length % 4 === 1) throw invalidParams(`invalid base64 encoding: ${what}`);
  return Buffer.from(text, "base64");
}
