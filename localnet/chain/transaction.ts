// Pieces of running one transaction: its account keys with lookup tables resolved, the writable and
// invoked flags the runtime applies, its memo, and LiteSVM's outcome in the node's record form.
import type { FailedTransactionMetadata, TransactionMetadata } from "litesvm";
import { type ClusterTransactionError, clusterTransactionError, fieldlessTransactionError } from "../../svm/transaction-error.js";
import {
  ADDRESS_LOOKUP_TABLE_PROGRAM_ID,
  BPF_LOADER_UPGRADEABLE_ID,
  MEMO_PROGRAM_ID,
  MEMO_V1_PROGRAM_ID,
  RESERVED_ACCOUNT_KEYS,
  addressOf,
} from "./keys.js";
import type { AccountState } from "./native.js";
import type { AccountKeys, RecordedInnerInstruction, ResolvedKeys, TransactionMeta } from "./records.js";
import { type WireMessage, isStaticWritable } from "./wire.js";

/** A transaction error found before execution (lookup tables, blockhash, duplicates). */
export class TransactionRejected extends Error {
  constructor(readonly error: ClusterTransactionError) {
    super(error.message);
    this.name = "TransactionRejected";
  }
}

const LOOKUP_TABLE_META_SIZE = 56;
const U64_MAX = 0xffff_ffff_ffff_ffffn;
/** Slots a deactivated lookup table stays usable (its deactivation slot leaves SlotHashes). */
const DEACTIVATION_COOLDOWN = 513n;

/**
 * Resolves the message's keys (lookup tables read through `read` at `currentSlot`) and the runtime's flags.
 * Throws `TransactionRejected` for an unusable lookup table.
 */
export function resolveKeys(
  message: WireMessage,
  read: (key: Buffer) => AccountState | null,
  currentSlot: number,
): ResolvedKeys {
  const loadedWritable: Buffer[] = [];
  const loadedReadonly: Buffer[] = [];
  for (const lookup of message.addressTableLookups) {
    const table = lookupTableAddresses(read(lookup.accountKey), BigInt(currentSlot));
    const pick = (index: number): Buffer => {
      if (index >= table.length) throw new TransactionRejected(fieldlessTransactionError("InvalidAddressLookupTableIndex"));
      return table[index];
    };
    for (const i of lookup.writableIndexes) loadedWritable.push(pick(i));
    for (const i of lookup.readonlyIndexes) loadedReadonly.push(pick(i));
  }
  const keys = keysWithLoaded(message, loadedWritable, loadedReadonly);
  if (new Set(keys.addresses).size !== keys.addresses.length) {
    throw new TransactionRejected(fieldlessTransactionError("AccountLoadedTwice"));
  }
  return keys;
}

/** The message's keys given the addresses its lookups loaded, with the runtime's flags. */
export function keysWithLoaded(message: WireMessage, loadedWritable: readonly Buffer[], loadedReadonly: readonly Buffer[]): ResolvedKeys {
  const keys: Buffer[] = [...message.staticKeys, ...loadedWritable, ...loadedReadonly];
  return { ...accountKeys(message, keys.map(addressOf), loadedWritable.length), keys };
}

/**
 * The flags of a message's keys (static then loaded: `loadedWritableCount` writable ones, then read-only):
 * writable as the runtime sees them (reserved keys and invoked programs demoted), signer, invoked.
 */
export function accountKeys(message: WireMessage, addresses: readonly string[], loadedWritableCount: number): AccountKeys {
  const staticCount = message.staticKeys.length;
  const invoked = new Array<boolean>(addresses.length).fill(false);
  for (const ix of message.instructions) invoked[ix.programIdIndex] = true;
  const upgradeableLoaderPresent = addresses.includes(BPF_LOADER_UPGRADEABLE_ID);
  const writable = addresses.map((address, i) => {
    const marked = i < staticCount ? isStaticWritable(message.header, staticCount, i) : i < staticCount + loadedWritableCount;
    if (!marked || RESERVED_ACCOUNT_KEYS.has(address)) return false;
    return !(invoked[i] && !upgradeableLoaderPresent);
  });
  return {
    addresses,
    loadedWritable: addresses.slice(staticCount, staticCount + loadedWritableCount),
    loadedReadonly: addresses.slice(staticCount + loadedWritableCount),
    writable,
    signer: addresses.map((_, i) => i < message.header.numRequiredSignatures),
    invoked,
  };
}

/** The active addresses of a lookup table account; throws `TransactionRejected` if it cannot be used. */
function lookupTableAddresses(account: AccountState | null, currentSlot: bigint): Buffer[] {
  if (account === null) throw new TransactionRejected(fieldlessTransactionError("AddressLookupTableNotFound"));
  if (addressOf(account.owner) !== ADDRESS_LOOKUP_TABLE_PROGRAM_ID) {
    throw new TransactionRejected(fieldlessTransactionError("InvalidAddressLookupTableOwner"));
  }
  const { data } = account;
  if (data.length < LOOKUP_TABLE_META_SIZE || data.readUInt32LE(0) !== 1 || (data.length - LOOKUP_TABLE_META_SIZE) % 32 !== 0) {
    throw new TransactionRejected(fieldlessTransactionError("InvalidAddressLookupTableData"));
  }
  const deactivationSlot = data.readBigUInt64LE(4);
  if (deactivationSlot !== U64_MAX && currentSlot > deactivationSlot + DEACTIVATION_COOLDOWN) {
    throw new TransactionRejected(fieldlessTransactionError("AddressLookupTableNotFound"));
  }
  const lastExtendedSlot = data.readBigUInt64LE(12);
  const total = (data.length - LOOKUP_TABLE_META_SIZE) / 32;
  // Addresses appended in the current slot are usable from the next one.
  const active = currentSlot > lastExtendedSlot ? total : Math.min(total, data[20]);
  const addresses: Buffer[] = [];
  for (let i = 0; i < active; i++) addresses.push(data.subarray(LOOKUP_TABLE_META_SIZE + 32 * i, LOOKUP_TABLE_META_SIZE + 32 * (i + 1)));
  return addresses;
}

/** The memos of a transaction as getSignaturesForAddress shows them ("[len] text", joined by "; "), or null. */
export function memoOf(message: WireMessage, addresses: readonly string[]): string | null {
  const memos: string[] = [];
  for (const ix of message.instructions) {
    const program = addresses[ix.programIdIndex];
    if (program !== MEMO_PROGRAM_ID && program !== MEMO_V1_PROGRAM_ID) continue;
    const text = ix.data.toString("utf8");
    memos.push(`[${text.length}] ${text}`);
  }
  return memos.length > 0 ? memos.join("; ") : null;
}

/** What LiteSVM reports of an execution, in record form (balances and fee come from the caller). */
export interface ExecutionReport {
  readonly err: ClusterTransactionError | null;
  readonly logMessages: string[];
  readonly innerInstructions: TransactionMeta["innerInstructions"];
  readonly computeUnitsConsumed: number;
  readonly returnData: TransactionMeta["returnData"];
  /** Whether the runtime got to execute it (so it would land, paying its fee, even if it failed). */
  readonly executed: boolean;
}

export function executionReport(outcome: TransactionMetadata | FailedTransactionMetadata, failed: boolean): ExecutionReport {
  const meta = failed ? (outcome as FailedTransactionMetadata).meta() : (outcome as TransactionMetadata);
  const returned = meta.returnData();
  const returnedData = returned.data();
  const innerInstructions: Array<{ index: number; instructions: RecordedInnerInstruction[] }> = [];
  meta.innerInstructions().forEach((group, index) => {
    if (group.length === 0) return;
    innerInstructions.push({
      index,
      instructions: group.map((inner) => {
        const ix = inner.instruction();
        return {
          programIdIndex: ix.programIdIndex(),
          accounts: [...ix.accounts()],
          data: Buffer.from(ix.data()),
          stackHeight: inner.stackHeight(),
        };
      }),
    });
  });
  return {
    err: failed ? clusterTransactionError((outcome as FailedTransactionMetadata).err()) : null,
    logMessages: meta.logs().map(intern),
    innerInstructions,
    computeUnitsConsumed: Number(meta.computeUnitsConsumed()),
    returnData: returnedData.length > 0 ? { programId: addressOf(returned.programId()), data: Buffer.from(returnedData) } : null,
    // LiteSVM leaves the signature zeroed when it refused the transaction before executing it.
    executed: !failed || meta.signature().some((b) => b !== 0),
  };
}

const INTERNED_LIMIT = 16_384;
const INTERNED_MAX_LENGTH = 256;
const interned = new Map<string, string>();

/** One shared copy of a log line: most are the same few lines ("Program ... invoke [1]", "... success"). */
function intern(line: string): string {
  if (line.length > INTERNED_MAX_LENGTH) return line;
  const known = interned.get(line);
  if (known !== undefined) return known;
  if (interned.size >= INTERNED_LIMIT) interned.clear();
  interned.set(line, line);
  return line;
}
