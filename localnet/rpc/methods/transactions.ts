// Transactions: submitting (sendTransaction, requestAirdrop), simulating, and reading them back
// (getSignatureStatuses, getSignaturesForAddress, getTransaction).
import bs58 from "bs58";
import { PublicKey } from "@solana/web3.js";
import type { SubmitResult } from "../../chain/chain.js";
import type { ExecutionReport } from "../../chain/transaction.js";
import { MAX_TRANSACTION_SIZE, WireFormatError } from "../../chain/wire.js";
import { ACCOUNT_ENCODINGS, encodeAccount } from "../account-encoding.js";
import { type RpcMethod, contextSlot, mintReader, withContext } from "../context.js";
import {
  INTERNAL_ERROR,
  RpcError,
  SEND_TRANSACTION_PREFLIGHT_FAILURE,
  TRANSACTION_SIGNATURE_VERIFICATION_FAILURE,
  invalidParams,
} from "../errors.js";
import {
  base64,
  commitment,
  config,
  historyCommitment,
  oneOf,
  optionalBoolean,
  optionalU64,
  positional,
  pubkey,
  signature,
  u64,
} from "../params.js";
import { TRANSACTION_ENCODINGS, encodeTransactionWithMeta, parsedInstruction } from "../transaction-encoding.js";

const MAX_SIGNATURE_STATUSES = 256;
const MAX_SIGNATURES_FOR_ADDRESS = 1_000;
/** Longest base58 / base64 text of a transaction of MAX_TRANSACTION_SIZE bytes. */
const MAX_BASE58_SIZE = 1683;
const MAX_BASE64_SIZE = 1644;

/** The bytes of an encoded transaction, with a node's errors for bad encodings and sizes. */
function decodeTransaction(value: unknown, encoding: "base58" | "base64"): Buffer {
  if (typeof value !== "string") throw invalidParams("Invalid params: transaction must be a string");
  const max = encoding === "base58" ? MAX_BASE58_SIZE : MAX_BASE64_SIZE;
  const tooLarge = (size: number) =>
    invalidParams(
      `${encoding} encoded solana_transaction::versioned::VersionedTransaction too large: ${size} bytes (max: encoded/raw ${max}/${MAX_TRANSACTION_SIZE})`,
    );
  if (value.length > max) throw tooLarge(value.length);
  let bytes: Buffer;
  if (encoding === "base58") {
    try {
      bytes = Buffer.from(bs58.decode(value));
    } catch {
      throw invalidParams("invalid base58 encoding: InvalidCharacter");
    }
  } else {
    bytes = base64(value, "transaction");
  }
  if (bytes.length > MAX_TRANSACTION_SIZE) throw tooLarge(bytes.length);
  return bytes;
}

function invalidTransaction(error: WireFormatError): RpcError {
  return invalidParams(`failed to deserialize solana_transaction::versioned::VersionedTransaction: ${error.message}`);
}

/** The RpcSimulateTransactionResult of an execution report (null fields where there is none). */
function simulationValue(
  err: unknown,
  report: ExecutionReport | null,
  extra: { accounts?: unknown; innerInstructions?: unknown; replacementBlockhash?: unknown; fee?: bigint } = {},
): Record<string, unknown> {
  return {
    err,
    logs: report?.logMessages ?? [],
    accounts: extra.accounts ?? null,
    unitsConsumed: report?.computeUnitsConsumed ?? 0n,
    returnData: report?.returnData ? { programId: report.returnData.programId, data: [report.returnData.data.toString("base64"), "base64"] } : null,
    innerInstructions: extra.innerInstructions ?? null,
    replacementBlockhash: extra.replacementBlockhash ?? null,
    ...(extra.fee !== undefined ? { fee: extra.fee } : {}),
  };
}

/** What sendTransaction answers for a submission. */
function submissionAnswer(result: SubmitResult): string {
  if (result.status !== "rejected") return result.signature;
  if (result.error.err === "SignatureFailure") {
    throw new RpcError(TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure");
  }
  throw new RpcError(
    SEND_TRANSACTION_PREFLIGHT_FAILURE,
    `Transaction simulation failed: ${result.error.message}`,
    simulationValue(result.error.err, result.report),
  );
}

function innerInstructionsJson(addresses: readonly string[], report: ExecutionReport): unknown {
  return report.innerInstructions.map((group) => ({
    index: group.index,
    instructions: group.instructions.map((ix) => parsedInstruction(addresses, ix.programIdIndex, ix.accounts, ix.data, ix.stackHeight)),
  }));
}

export const transactionMethods: Record<string, RpcMethod> = {
  sendTransaction(params, ctx) {
    const [encoded, rawConfig] = positional(params, 1, 2);
    const cfg = config(rawConfig);
    const encoding = oneOf(cfg, "encoding", ["base58", "base64"] as const, "base58");
    const skipPreflight = optionalBoolean(cfg, "skipPreflight") ?? false;
    optionalU64(cfg, "maxRetries");
    contextSlot(ctx, cfg, commitment({ commitment: cfg.preflightCommitment }));
    const bytes = decodeTransaction(encoded, encoding);
    try {
      return submissionAnswer(ctx.chain.submit(bytes, { skipPreflight }));
    } catch (error) {
      if (error instanceof WireFormatError) throw invalidTransaction(error);
      throw error;
    }
  },

  simulateTransaction(params, ctx) {
    const [encoded, rawConfig] = positional(params, 1, 2);
    const cfg = config(rawConfig);
    const encoding = oneOf(cfg, "encoding", ["base58", "base64"] as const, "base58");
    const sigVerify = optionalBoolean(cfg, "sigVerify") ?? false;
    const replaceRecentBlockhash = optionalBoolean(cfg, "replaceRecentBlockhash") ?? false;
    if (sigVerify && replaceRecentBlockhash) throw invalidParams("sigVerify may not be used with replaceRecentBlockhash");
    const wantInner = optionalBoolean(cfg, "innerInstructions") ?? false;
    const level = commitment(cfg);
    const slot = contextSlot(ctx, cfg, level);
    const accountsConfig = cfg.accounts === undefined || cfg.accounts === null ? undefined : config(cfg.accounts);
    const accountEncoding = accountsConfig ? oneOf(accountsConfig, "encoding", ACCOUNT_ENCODINGS, "base64") : "base64";
    if (accountEncoding === "binary" || accountEncoding === "base58") throw invalidParams("base58 encoding not supported");
    const addresses = accountsConfig
      ? (() => {
          if (!Array.isArray(accountsConfig.addresses)) throw invalidParams("Invalid params: accounts.addresses must be an array");
          return accountsConfig.addresses.map((a) => pubkey(a).address);
        })()
      : undefined;
    const bytes = decodeTransaction(encoded, encoding);
    let result;
    try {
      result = ctx.chain.simulate(bytes, { sigVerify, replaceRecentBlockhash });
    } catch (error) {
      if (error instanceof WireFormatError) throw invalidTransaction(error);
      throw error;
    }
    if (result.error?.err === "SignatureFailure") {
      throw new RpcError(TRANSACTION_SIGNATURE_VERIFICATION_FAILURE, "Transaction signature verification failure");
    }
    let accounts: unknown = null;
    if (addresses !== undefined) {
      const max = result.keys?.addresses.length ?? 0;
      if (addresses.length > max) throw invalidParams(`Too many accounts provided; max ${max}`);
      const mints = mintReader(ctx, "processed");
      accounts = addresses.map((address) => {
        if (result.error !== null) return null;
        const state = result.postAccounts.get(address);
        return state ? encodeAccount(state, { encoding: accountEncoding, slice: undefined }, mints) : null;
      });
    }
    return withContext(
      slot,
      simulationValue(result.error?.err ?? null, result.report, {
        accounts,
        innerInstructions: wantInner && result.report && result.keys ? innerInstructionsJson(result.keys.addresses, result.report) : null,
        replacementBlockhash: result.replacementBlockhash,
        fee: result.fee,
      }),
    );
  },

  requestAirdrop(params, ctx) {
    const [key, lamports, rawConfig] = positional(params, 2, 3);
    const { address } = pubkey(key);
    const amount = u64(lamports, "lamports");
    const cfg = config(rawConfig);
    contextSlot(ctx, cfg, commitment(cfg));
    const result = ctx.chain.airdrop(new PublicKey(address), BigInt(amount));
    if (result.status !== "landed") throw new RpcError(INTERNAL_ERROR, `Airdrop failed: ${result.error.message}`);
    if (result.record.meta.err !== null) throw new RpcError(INTERNAL_ERROR, "Airdrop failed: the transfer failed");
    return result.signature;
  },

  getSignatureStatuses(params, ctx) {
    const [sigs, rawConfig] = positional(params, 1, 2);
    if (!Array.isArray(sigs)) throw invalidParams("Invalid params: expected an array of signatures");
    if (sigs.length > MAX_SIGNATURE_STATUSES) throw invalidParams(`Too many inputs provided; max ${MAX_SIGNATURE_STATUSES}`);
    const cfg = config(rawConfig);
    const searchHistory = optionalBoolean(cfg, "searchTransactionHistory") ?? false;
    const slot = ctx.chain.slot("processed");
    return withContext(
      slot,
      sigs.map((s) => {
        const status = ctx.chain.signatureStatus(signature(s), searchHistory);
        if (status === null) return null;
        return {
          slot: status.slot,
          confirmations: status.confirmations,
          status: status.err === null ? { Ok: null } : { Err: status.err },
          err: status.err,
          confirmationStatus: status.confirmationStatus,
        };
      }),
    );
  },

  getSignaturesForAddress(params, ctx) {
    const [key, rawConfig] = positional(params, 1, 2);
    const { address } = pubkey(key, "address");
    const cfg = config(rawConfig);
    const limit = optionalU64(cfg, "limit") ?? MAX_SIGNATURES_FOR_ADDRESS;
    if (limit === 0 || limit > MAX_SIGNATURES_FOR_ADDRESS) throw invalidParams(`Invalid limit; max ${MAX_SIGNATURES_FOR_ADDRESS}`);
    const level = historyCommitment(cfg);
    contextSlot(ctx, cfg, level);
    const maxSlot = ctx.chain.slot(level);
    const before = cfg.before === undefined || cfg.before === null ? undefined : signature(cfg.before);
    const until = cfg.until === undefined || cfg.until === null ? undefined : signature(cfg.until);
    const beforeTx = before === undefined ? undefined : ctx.chain.transaction(before, level);
    if (before !== undefined && beforeTx === undefined) return [];
    const untilTx = until === undefined ? undefined : ctx.chain.transaction(until, level);
    return ctx.chain.ledger.transactionsFor(address, { maxSlot, before: beforeTx, until: untilTx, limit }).map((tx) => ({
      signature: tx.signature,
      slot: tx.slot,
      err: tx.meta.err,
      memo: tx.memo,
      blockTime: tx.blockTime,
      confirmationStatus: ctx.chain.statusOf(tx).confirmationStatus,
    }));
  },

  getTransaction(params, ctx) {
    const [sig, rawConfig] = positional(params, 1, 2);
    const signatureText = signature(sig);
    // The encoding alone may be given instead of a config (an older form nodes still accept).
    const cfg = typeof rawConfig === "string" ? { encoding: rawConfig } : config(rawConfig);
    const encoding = oneOf(cfg, "encoding", TRANSACTION_ENCODINGS, "json");
    const maxSupportedTransactionVersion = optionalU64(cfg, "maxSupportedTransactionVersion");
    const level = historyCommitment(cfg);
    const tx = ctx.chain.transaction(signatureText, level);
    if (tx === undefined) return null;
    return {
      slot: tx.slot,
      ...encodeTransactionWithMeta(tx, { encoding, maxSupportedTransactionVersion }),
      blockTime: tx.blockTime,
    };
  },
};

