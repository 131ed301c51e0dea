// Addresses: base58 strings everywhere outside the hot path, with a bounded cache for the 32-byte keys that
// recur (payers, programs, sysvars), and the well-known program ids the node treats specially.
import bs58 from "bs58";
import { base58Encode } from "./base58.js";

const CACHE_LIMIT = 65_536;
const base58Cache = new Map<string, string>();

/** The base58 address of a 32-byte key. */
export function addressOf(key: Uint8Array): string {
  const id = Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1");
  let address = base58Cache.get(id);
  if (address === undefined) {
    address = base58Encode(key);
    if (base58Cache.size >= CACHE_LIMIT) base58Cache.clear();
    base58Cache.set(id, address);
  }
  return address;
}

/** The 32 bytes of a base58 address; throws for anything else. */
export function keyOf(address: string): Buffer {
  const bytes = Buffer.from(bs58.decode(address));
  if (bytes.length !== 32) throw new Error(`${address} is not a 32-byte address`);
  return bytes;
}

export const SYSTEM_PROGRAM_ID = "11111111111111111111111111111111";
export const TOKEN_PROGRAM_ID = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
export const TOKEN_2022_PROGRAM_ID = "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb";
export const ASSOCIATED_TOKEN_PROGRAM_ID = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";
export const MEMO_V1_PROGRAM_ID = "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo";
export const MEMO_PROGRAM_ID = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr";
export const COMPUTE_BUDGET_PROGRAM_ID = "ComputeBudget111111111111111111111111111111";
export const BPF_LOADER_UPGRADEABLE_ID = "BPFLoaderUpgradeab1e11111111111111111111111";
export const ADDRESS_LOOKUP_TABLE_PROGRAM_ID = "AddressLookupTab1e1111111111111111111111111";
export const ED25519_PROGRAM_ID = "Ed25519SigVerify111111111111111111111111111";
export const SECP256K1_PROGRAM_ID = "KeccakSecp256k11111111111111111111111111111";
export const SECP256R1_PROGRAM_ID = "Secp256r1SigVerify1111111111111111111111111";
export const VOTE_PROGRAM_ID = "Vote111111111111111111111111111111111111111";

/** SPL Token and Token-2022. */
export function isTokenProgram(address: string): boolean {
  return address === TOKEN_PROGRAM_ID || address === TOKEN_2022_PROGRAM_ID;
}

/**
 * Keys a transaction can never write (Agave's reserved account keys): builtin programs, precompiles, sysvars
 * and the native loader. A message marking them writable has them demoted to read-only.
 */
export const RESERVED_ACCOUNT_KEYS: ReadonlySet<string> = new Set([
  SYSTEM_PROGRAM_ID,
  VOTE_PROGRAM_ID,
  "Stake11111111111111111111111111111111111111",
  "Config1111111111111111111111111111111111111",
  COMPUTE_BUDGET_PROGRAM_ID,
  ADDRESS_LOOKUP_TABLE_PROGRAM_ID,
  "BPFLoader1111111111111111111111111111111111",
  "BPFLoader2111111111111111111111111111111111",
  BPF_LOADER_UPGRADEABLE_ID,
  "LoaderV411111111111111111111111111111111111",
  "NativeLoader1111111111111111111111111111111",
  ED25519_PROGRAM_ID,
  SECP256K1_PROGRAM_ID,
  SECP256R1_PROGRAM_ID,
  "ZkE1Gama1Proof11111111111111111111111111111",
  "ZkTokenProof1111111111111111111111111111111",
  "Feature111111111111111111111111111111111111",
  "Sysvar1111111111111111111111111111111111111",
  "SysvarC1ock11111111111111111111111111111111",
  "SysvarEpochSchedu1e111111111111111111111111",
  "SysvarFees111111111111111111111111111111111",
  "Sysvar1nstructions1111111111111111111111111",
  "SysvarRecentB1ockHashes11111111111111111111",
  "SysvarRent111111111111111111111111111111111",
  "SysvarRewards111111111111111111111111111111",
  "SysvarS1otHashes111111111111111111111111111",
  "SysvarS1otHistory11111111111111111111111111",
  "SysvarStakeHistory1111111111111111111111111",
  "SysvarEpochRewards1111111111111111111111111",
  "SysvarLastRestartS1ot1111111111111111111111",
]);
