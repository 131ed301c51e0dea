// The reward leaf (docs/rewards.md): the TypeScript twin of `leaf_bytes` / `leaf_hash` in
// programs/rewards/src/state.rs. Golden vectors in both test suites keep them equal.
import { PublicKey } from "@solana/web3.js";
import { hashLeaf } from "../merkle.js";

/** Bytes of a reward leaf: distributor (32), supplier (32), cumulative amount (u64 LE). */
export const REWARD_LEAF_LEN = 72;
export const U64_MAX = (1n << 64n) - 1n;

/** A supplier's address: a PublicKey, its 32 bytes, or base58 text. */
export type SupplierKey = PublicKey | Uint8Array | string;

/** The 32 bytes of an address. */
export function keyBytes(key: SupplierKey): Uint8Array {
  if (typeof key === "string") return new PublicKey(key).toBytes();
  if (key instanceof PublicKey) return key.toBytes();
  if (key.length !== 32) throw new Error(`an address has 32 bytes, got ${key.length}`);
  return key;
}

/** distributor ++ supplier ++ cumulative amount (u64 LE). */
export function encodeRewardLeaf(distributor: SupplierKey, supplier: SupplierKey, cumulativeAmount: bigint): Buffer {
  if (cumulativeAmount < 0n || cumulativeAmount > U64_MAX) throw new RangeError(`cumulative amount ${cumulativeAmount} is not a u64`);
  const out = Buffer.alloc(REWARD_LEAF_LEN);
  out.set(keyBytes(distributor), 0);
  out.set(keyBytes(supplier), 32);
  out.writeBigUInt64LE(cumulativeAmount, 64);
  return out;
}

/** sha256(0x00 ++ leaf bytes): the leaf's hash in the tree. */
export function hashRewardLeaf(distributor: SupplierKey, supplier: SupplierKey, cumulativeAmount: bigint): Buffer {
  return hashLeaf(encodeRewardLeaf(distributor, supplier, cumulativeAmount));
}
