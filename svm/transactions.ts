// Runs web3.js v1 transactions (legacy and versioned) in LiteSVM and reports the outcome the way a
// cluster does: a typed result with logs, compute units, inner instructions and return data, and on
// failure the `SendTransactionError` that @solana/web3.js throws against a real RPC node.
import {
  AddressLookupTableAccount,
  type MessageAccountKeys,
  PublicKey,
  SendTransactionError,
  type Transaction,
  VersionedMessage,
  type VersionedTransaction,
} from "@solana/web3.js";
import {
  address,
  getTransactionDecoder,
  signature as toSignature,
  type Address,
  type Transaction as KitTransaction,
} from "@solana/kit";
import { FailedTransactionMetadata, type LiteSVM, type TransactionMetadata } from "litesvm";
import bs58 from "bs58";
import { clusterTransactionError, type RpcTransactionError } from "./transaction-error.js";

/** Either kind of web3.js v1 transaction. */
export type AnyTransaction = Transaction | VersionedTransaction;

/** An instruction invoked by a program (CPI), as recorded by the runtime. */
export interface InnerInstruction {
  /** Index of the invoked program in the transaction's account keys. */
  readonly programIdIndex: number;
  /** The invoked program, when the account keys could be resolved. */
  readonly programId: PublicKey | undefined;
  /** Indexes of the instruction's accounts in the transaction's account keys. */
  readonly accountIndexes: readonly number[];
  /** The instruction's accounts, when the account keys could be resolved. */
  readonly accounts: readonly PublicKey[] | undefined;
  readonly data: Buffer;
  /** 2 for a CPI made by a top-level instruction, 3 for one made inside that CPI, and so on. */
  readonly stackHeight: number;
}

/** Data a program set with `sol_set_return_data`. */
export interface ReturnData {
  readonly programId: PublicKey;
  readonly data: Buffer;
}

/** The outcome of one transaction, successful or not. */
export interface TransactionResult {
  /** Base58 signature of the fee payer. */
  readonly signature: string;
  readonly logs: readonly string[];
  readonly computeUnitsConsumed: bigint;
  /** `innerInstructions[i]` holds the CPIs made while executing top-level instruction `i`. */
  readonly innerInstructions: readonly (readonly InnerInstruction[])[];
  /** Null when no program set return data (as the RPC reports it). */
  readonly returnData: ReturnData | null;
  /** The error in RPC JSON form, null on success. */
  readonly err: RpcTransactionError | null;
  /** The error as the RPC words it, null on success. */
  readonly errorMessage: string | null;
  /**
   * Whether the transaction landed: its signature is recorded and its fee charged; a successful one also
   * wrote its accounts. False for simulations, failed preflights and transactions refused before execution.
   */
  readonly committed: boolean;
}

/** How a transaction is submitted, as in web3.js `SendOptions`. */
export interface SubmitOptions {
  /**
   * false (default, as on a cluster): simulate first and commit nothing when the simulation fails (no
   * fee, no signature recorded). true: execute directly; a failing transaction is committed and pays its fee.
   */
  readonly skipPreflight?: boolean;
}

const transactionDecoder = getTransactionDecoder();

/** The public key as a @solana/kit address. */
export function toAddress(key: PublicKey): Address {
  return address(key.toBase58());
}

/** Converts a signed web3.js v1 transaction into the @solana/kit transaction LiteSVM takes. */
export function toKitTransaction(tx: AnyTransaction): KitTransaction {
  return transactionDecoder.decode(tx.serialize());
}

/**
 * Submits a signed transaction. Never throws for a failing transaction: the result's `err` says so and
 * `sendTransactionError` turns it into what a cluster throws.
 */
export function submitTransaction(svm: LiteSVM, tx: AnyTransaction, options: SubmitOptions = {}): TransactionResult {
  return submitWireTransaction(svm, tx.serialize(), options);
}

/** `submitTransaction` for a signed transaction in wire format. */
export function submitWireTransaction(svm: LiteSVM, wire: Uint8Array, options: SubmitOptions = {}): TransactionResult {
  const kitTx = transactionDecoder.decode(wire);
  const keys = lazyAccountKeys(svm, kitTx);
  const signature = feePayerSignature(kitTx);
  if (!options.skipPreflight) {
    const simulated = svm.simulateTransaction(kitTx);
    if (simulated instanceof FailedTransactionMetadata) return toResult(simulated, keys, signature, false);
  }
  const outcome = svm.sendTransaction(kitTx);
  // A failed transaction is committed (fee charged, signature recorded) only if it got as far as execution;
  // LiteSVM's history holds exactly the committed ones.
  const committed = !(outcome instanceof FailedTransactionMetadata) || svm.getTransaction(toSignature(signature)) !== null;
  return toResult(outcome, keys, signature, committed);
}

/** Simulates a signed transaction; returns its result and the accounts it would leave behind. */
export function simulateTransaction(svm: LiteSVM, tx: AnyTransaction): SimulationResult {
  const kitTx = toKitTransaction(tx);
  const keys = lazyAccountKeys(svm, kitTx);
  const signature = feePayerSignature(kitTx);
  const simulated = svm.simulateTransaction(kitTx);
  if (simulated instanceof FailedTransactionMetadata) {
    return { result: toResult(simulated, keys, signature, false), postAccounts: [] };
  }
  return {
    result: toResult(simulated.meta(), keys, signature, false),
    postAccounts: simulated.postAccounts().map((a) => ({
      pubkey: new PublicKey(a.address),
      lamports: a.lamports,
      owner: new PublicKey(a.programAddress),
      executable: a.executable,
      data: Buffer.from(a.data),
    })),
  };
}

/** What `simulateTransaction` returns. */
export interface SimulationResult {
  readonly result: TransactionResult;
  /** Accounts of the transaction after the simulated execution (empty when it failed). */
  readonly postAccounts: readonly SimulatedAccount[];
}

/** An account after a simulated execution. */
export interface SimulatedAccount {
  readonly pubkey: PublicKey;
  readonly lamports: bigint;
  readonly owner: PublicKey;
  readonly executable: boolean;
  readonly data: Buffer;
}

/**
 * The error @solana/web3.js throws for this failed result against a real RPC node:
 * - with preflight (the default): `Connection.sendRawTransaction` gets the RPC's -32002 error, message
 *   "Transaction simulation failed: <error>", and throws action "simulate" with an empty signature;
 * - with `skipPreflight`: confirmation reports the failure; this is the error `AnchorProvider` means to throw
 *   then (action "send", the signature, its "Raw transaction <sig> failed (<status>)" message and the logs).
 *   Anchor 0.32.1 actually loses message and logs there: it calls the two-argument `SendTransactionError`
 *   constructor that web3.js 1.98 no longer has.
 */
export function sendTransactionError(result: TransactionResult, options: SubmitOptions = {}): SendTransactionError {
  if (result.err === null || result.errorMessage === null) throw new Error("the transaction succeeded");
  const logs = [...result.logs];
  if (!options.skipPreflight) {
    return new SendTransactionError({
      action: "simulate",
      signature: "",
      transactionMessage: `Transaction simulation failed: ${result.errorMessage}`,
      logs,
    });
  }
  return new SendTransactionError({
    action: "send",
    signature: result.signature,
    transactionMessage: `Raw transaction ${result.signature} failed (${JSON.stringify({ err: result.err })})`,
    logs,
  });
}

function toResult(
  outcome: TransactionMetadata | FailedTransactionMetadata,
  accountKeys: () => MessageAccountKeys | undefined,
  signature: string,
  committed: boolean,
): TransactionResult {
  const failed = outcome instanceof FailedTransactionMetadata;
  const meta = failed ? outcome.meta() : outcome;
  const error = failed ? clusterTransactionError(outcome.err()) : null;
  const returned = meta.returnData();
  const returnedData = returned.data();
  const innerGroups = meta.innerInstructions();
  // Resolving the account keys costs a message parse; only CPIs need them.
  const keys = innerGroups.some((group) => group.length > 0) ? accountKeys() : undefined;
  return {
    signature,
    logs: meta.logs(),
    computeUnitsConsumed: meta.computeUnitsConsumed(),
    innerInstructions: innerGroups.map((group) =>
      group.map((inner) => {
        const ix = inner.instruction();
        const accountIndexes = [...ix.accounts()];
        const programId = keys?.get(ix.programIdIndex());
        const accounts = accountIndexes.map((i) => keys?.get(i));
        return {
          programIdIndex: ix.programIdIndex(),
          programId,
          accountIndexes,
          accounts: accounts.every((a): a is PublicKey => a !== undefined) ? accounts : undefined,
          data: Buffer.from(ix.data()),
          stackHeight: inner.stackHeight(),
        };
      }),
    ),
    returnData:
      returnedData.length > 0
        ? { programId: new PublicKey(returned.programId()), data: Buffer.from(returnedData) }
        : null,
    err: error?.err ?? null,
    errorMessage: error?.message ?? null,
    committed,
  };
}

/** The fee payer's signature (the first one), base58. */
function feePayerSignature(tx: KitTransaction): string {
  const first = Object.values(tx.signatures)[0];
  if (!first) throw new Error("transaction is not signed by its fee payer");
  return bs58.encode(first);
}

/**
 * The transaction's account keys, computed on first use (legacy messages carry instruction data as base58,
 * so parsing a large one is slow), with address lookup tables read from LiteSVM; undefined if unresolvable.
 */
function lazyAccountKeys(svm: LiteSVM, tx: KitTransaction): () => MessageAccountKeys | undefined {
  let keys: MessageAccountKeys | undefined | null = null;
  return () => {
    if (keys === null) keys = accountKeys(svm, tx);
    return keys;
  };
}

function accountKeys(svm: LiteSVM, tx: KitTransaction): MessageAccountKeys | undefined {
  const message = VersionedMessage.deserialize(Uint8Array.from(tx.messageBytes));
  const tables: AddressLookupTableAccount[] = [];
  for (const lookup of message.addressTableLookups) {
    const account = svm.getAccount(toAddress(lookup.accountKey));
    if (!account.exists) return undefined;
    tables.push(
      new AddressLookupTableAccount({
        key: lookup.accountKey,
        state: AddressLookupTableAccount.deserialize(Uint8Array.from(account.data)),
      }),
    );
  }
  try {
    return message.getAccountKeys({ addressLookupTableAccounts: tables });
  } catch {
    return undefined;
  }
}
