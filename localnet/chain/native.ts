// LiteSVM's native binding behind the `LiteSVM` class: the hot path of the node calls it with raw bytes
// (32-byte keys, wire transactions), skipping the @solana/kit conversions of the class, which cost ten times
// the lookup itself (base58 for every address). Pinned to litesvm 1.4.1; checked when taken.
import { Account as NativeAccountClass, type LiteSVM } from "litesvm";
import type { Account as NativeAccount, LiteSvm as NativeLiteSvm } from "litesvm/dist/internal.js";

export type { NativeAccount, NativeLiteSvm };

const REQUIRED_METHODS = [
  "getAccount",
  "setAccount",
  "getProgramAccounts",
  "sendLegacyTransaction",
  "sendVersionedTransaction",
  "simulateLegacyTransaction",
  "simulateVersionedTransaction",
  "setSigverify",
  "getClock",
  "setClock",
  "setSlotHashes",
  "minimumBalanceForRentExemption",
] as const;

/** The native instance inside a `LiteSVM`; throws if this litesvm does not have the expected shape. */
export function nativeOf(svm: LiteSVM): NativeLiteSvm {
  const inner = (svm as unknown as { inner?: Record<string, unknown> }).inner;
  const missing = REQUIRED_METHODS.filter((name) => typeof inner?.[name] !== "function");
  if (!inner || missing.length > 0) {
    throw new Error(`litesvm's native binding lacks ${missing.join(", ")}: the localnet expects litesvm 1.4.1`);
  }
  return inner as unknown as NativeLiteSvm;
}

/** An account as the node keeps it (all u64 as bigint). */
export interface AccountState {
  readonly lamports: bigint;
  readonly data: Buffer;
  /** The owner program, 32 bytes. */
  readonly owner: Buffer;
  readonly executable: boolean;
  readonly rentEpoch: bigint;
}

/** The account at `key`, or null if it does not exist. */
export function readAccount(native: NativeLiteSvm, key: Uint8Array): AccountState | null {
  const account = native.getAccount(key);
  return account === null ? null : fromNative(account);
}

export function fromNative(account: NativeAccount): AccountState {
  const data = account.data();
  const owner = account.owner();
  return {
    lamports: account.lamports(),
    data: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    owner: Buffer.from(owner.buffer, owner.byteOffset, owner.byteLength),
    executable: account.executable(),
    rentEpoch: account.rentEpoch(),
  };
}

const SYSTEM_PROGRAM = new Uint8Array(32);

/**
 * Writes an account, or deletes it (null: LiteSVM drops accounts with zero lamports). An executable account
 * is (re)loaded into LiteSVM's program cache, so an upgradeable program's ProgramData must be written first.
 */
export function writeAccount(native: NativeLiteSvm, key: Uint8Array, state: AccountState | null): void {
  const account =
    state === null
      ? new NativeAccountClass(0n, new Uint8Array(0), SYSTEM_PROGRAM, false, 0n)
      : new NativeAccountClass(state.lamports, state.data, state.owner, state.executable, state.rentEpoch);
  native.setAccount(key, account);
}

/** Whether two account states are equal (null: no account). */
export function sameAccount(a: AccountState | null, b: AccountState | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.lamports === b.lamports &&
    a.executable === b.executable &&
    a.rentEpoch === b.rentEpoch &&
    a.owner.equals(b.owner) &&
    a.data.equals(b.data)
  );
}
