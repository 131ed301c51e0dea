// Landed transactions as getTransaction and getBlock return them: the transaction (json, jsonParsed, base64,
// base58) and its meta, in the shapes of Agave's UiTransaction / UiTransactionStatusMeta.
import bs58 from "bs58";
import { base58Encode } from "../chain/base58.js";
import type { AccountKeys, RecordedInnerInstruction, TransactionRecord } from "../chain/records.js";
import { accountKeys } from "../chain/transaction.js";
import { type WireTransaction, parseTransaction } from "../chain/wire.js";
import { parseInstruction } from "../parse/instructions.js";
import { unsupportedTransactionVersion } from "./errors.js";

export type TransactionEncoding = "json" | "jsonParsed" | "base64" | "base58" | "binary";
export const TRANSACTION_ENCODINGS: readonly TransactionEncoding[] = ["json", "jsonParsed", "base64", "base58", "binary"];

export interface EncodeOptions {
  readonly encoding: TransactionEncoding;
  /** The client's maxSupportedTransactionVersion; without it, v0 transactions are refused and `version` omitted. */
  readonly maxSupportedTransactionVersion: number | undefined;
  /** "full" (default) or "accounts" (getBlock's transactionDetails). */
  readonly details?: "full" | "accounts";
}

/** A landed transaction with its message parsed again and its account flags. */
interface Landed {
  readonly record: TransactionRecord;
  readonly transaction: WireTransaction;
  readonly keys: AccountKeys;
}

function landed(record: TransactionRecord): Landed {
  const transaction = parseTransaction(record.bytes);
  return { record, transaction, keys: accountKeys(transaction.message, record.addresses, record.loadedWritableCount) };
}

/** `{ transaction, meta, version? }` of a landed transaction. */
export function encodeTransactionWithMeta(record: TransactionRecord, options: EncodeOptions): Record<string, unknown> {
  const tx = landed(record);
  const version = tx.transaction.message.version;
  if (version !== "legacy" && (options.maxSupportedTransactionVersion === undefined || options.maxSupportedTransactionVersion < version)) {
    throw unsupportedTransactionVersion(version);
  }
  const out: Record<string, unknown> =
    options.details === "accounts"
      ? { transaction: { signatures: signatures(tx), accountKeys: annotatedKeys(tx) }, meta: simpleMeta(record) }
      : { transaction: encodeTransaction(tx, options.encoding), meta: encodeMeta(tx, options.encoding === "jsonParsed") };
  if (options.maxSupportedTransactionVersion !== undefined) out.version = version;
  return out;
}

function signatures(tx: Landed): string[] {
  return tx.transaction.signatures.map((s) => base58Encode(s));
}

function encodeTransaction(tx: Landed, encoding: TransactionEncoding): unknown {
  const { bytes } = tx.record;
  switch (encoding) {
    case "base64":
      return [bytes.toString("base64"), "base64"];
    case "base58":
      return [bs58.encode(bytes), "base58"];
    case "binary":
      return bs58.encode(bytes);
    case "json":
      return { signatures: signatures(tx), message: jsonMessage(tx) };
    case "jsonParsed":
      return { signatures: signatures(tx), message: parsedMessage(tx) };
  }
}

function lookups(tx: Landed): Array<Record<string, unknown>> {
  return tx.transaction.message.addressTableLookups.map((l) => ({
    accountKey: base58Encode(l.accountKey),
    writableIndexes: [...l.writableIndexes],
    readonlyIndexes: [...l.readonlyIndexes],
  }));
}

function jsonMessage(tx: Landed): Record<string, unknown> {
  const { message } = tx.transaction;
  const out: Record<string, unknown> = {
    accountKeys: tx.record.addresses.slice(0, message.staticKeys.length),
    header: message.header,
    recentBlockhash: base58Encode(message.recentBlockhash),
    instructions: message.instructions.map((ix) => ({
      programIdIndex: ix.programIdIndex,
      accounts: [...ix.accounts],
      data: base58Encode(ix.data),
      stackHeight: null,
    })),
  };
  if (message.version !== "legacy") out.addressTableLookups = lookups(tx);
  return out;
}

function annotatedKeys(tx: Landed): Array<Record<string, unknown>> {
  const staticCount = tx.transaction.message.staticKeys.length;
  return tx.keys.addresses.map((pubkey, i) => ({
    pubkey,
    writable: tx.keys.writable[i],
    signer: tx.keys.signer[i],
    source: i < staticCount ? "transaction" : "lookupTable",
  }));
}

function parsedMessage(tx: Landed): Record<string, unknown> {
  const { message } = tx.transaction;
  const out: Record<string, unknown> = {
    accountKeys: annotatedKeys(tx),
    recentBlockhash: base58Encode(message.recentBlockhash),
    instructions: message.instructions.map((ix) => parsedInstruction(tx.record.addresses, ix.programIdIndex, ix.accounts, ix.data, null)),
  };
  if (message.version !== "legacy") out.addressTableLookups = lookups(tx);
  return out;
}

/** An instruction in jsonParsed form: parsed when a parser knows it, else partially decoded. */
export function parsedInstruction(
  addresses: readonly string[],
  programIdIndex: number,
  accountIndexes: readonly number[],
  data: Buffer,
  stackHeight: number | null,
): Record<string, unknown> {
  const programId = addresses[programIdIndex];
  const accounts = accountIndexes.map((i) => addresses[i]);
  const parsed = parseInstruction(programId, accounts, data);
  if (parsed !== null) return { program: parsed.program, programId, parsed: parsed.parsed, stackHeight };
  return { programId, accounts, data: base58Encode(data), stackHeight };
}

/**
 * Balances for JSON: numbers where exact (the JSON text is the same digits), bigints beyond 2^53, so that the
 * common response serializes without toJson's bigint pass.
 */
function lamportsJson(balances: BigUint64Array): Array<number | bigint> {
  const out = new Array<number | bigint>(balances.length);
  for (let i = 0; i < balances.length; i++) {
    const value = balances[i];
    out[i] = value <= MAX_SAFE ? Number(value) : value;
  }
  return out;
}
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function status(tx: TransactionRecord): Record<string, unknown> {
  return tx.meta.err === null ? { Ok: null } : { Err: tx.meta.err };
}

function encodeMeta(tx: Landed, parsed: boolean): Record<string, unknown> {
  const { meta } = tx.record;
  const inner = (ix: RecordedInnerInstruction) =>
    parsed
      ? parsedInstruction(tx.record.addresses, ix.programIdIndex, ix.accounts, ix.data, ix.stackHeight)
      : { programIdIndex: ix.programIdIndex, accounts: [...ix.accounts], data: base58Encode(ix.data), stackHeight: ix.stackHeight };
  const out: Record<string, unknown> = {
    err: meta.err,
    status: status(tx.record),
    fee: meta.fee,
    preBalances: lamportsJson(meta.preBalances),
    postBalances: lamportsJson(meta.postBalances),
    innerInstructions: meta.innerInstructions.map((group) => ({ index: group.index, instructions: group.instructions.map(inner) })),
    logMessages: meta.logMessages,
    preTokenBalances: meta.preTokenBalances,
    postTokenBalances: meta.postTokenBalances,
    rewards: [],
  };
  if (!parsed) out.loadedAddresses = { writable: tx.keys.loadedWritable, readonly: tx.keys.loadedReadonly };
  if (meta.returnData !== null) {
    out.returnData = { programId: meta.returnData.programId, data: [meta.returnData.data.toString("base64"), "base64"] };
  }
  out.computeUnitsConsumed = meta.computeUnitsConsumed;
  return out;
}

/** The meta of getBlock's "accounts" details: balances and status only. */
function simpleMeta(tx: TransactionRecord): Record<string, unknown> {
  const { meta } = tx;
  return {
    err: meta.err,
    status: status(tx),
    fee: meta.fee,
    preBalances: lamportsJson(meta.preBalances),
    postBalances: lamportsJson(meta.postBalances),
    preTokenBalances: meta.preTokenBalances,
    postTokenBalances: meta.postTokenBalances,
    rewards: [],
  };
}
