// What the node records of a landed transaction and of a block: everything the RPC serves from history.
import type { RpcTransactionError } from "../../svm/transaction-error.js";
import type { TokenBalance } from "./tokens.js";

/** A CPI as recorded in a transaction's meta. */
export interface RecordedInnerInstruction {
  readonly programIdIndex: number;
  readonly accounts: readonly number[];
  readonly data: Buffer;
  readonly stackHeight: number;
}

export interface TransactionMeta {
  readonly err: RpcTransactionError | null;
  readonly fee: number;
  readonly preBalances: BigUint64Array;
  readonly postBalances: BigUint64Array;
  readonly preTokenBalances: readonly TokenBalance[];
  readonly postTokenBalances: readonly TokenBalance[];
  readonly logMessages: readonly string[];
  /** The CPIs of top-level instruction `index`, for the instructions that made any. */
  readonly innerInstructions: ReadonlyArray<{ readonly index: number; readonly instructions: readonly RecordedInnerInstruction[] }>;
  readonly computeUnitsConsumed: number;
  readonly returnData: { readonly programId: string; readonly data: Buffer } | null;
}

/** The account keys of a transaction: static keys, then the addresses loaded from lookup tables. */
export interface AccountKeys {
  /** Base58, in instruction-index order: static, loaded writable, loaded read-only. */
  readonly addresses: readonly string[];
  readonly loadedWritable: readonly string[];
  readonly loadedReadonly: readonly string[];
  /** Whether each key is writable once reserved keys and invoked programs are demoted. */
  readonly writable: readonly boolean[];
  /** Whether each key is a signer. */
  readonly signer: readonly boolean[];
  /** Whether each key is the program of a top-level instruction. */
  readonly invoked: readonly boolean[];
}

/** Account keys with their 32 bytes (same order), as the transaction runs. */
export interface ResolvedKeys extends AccountKeys {
  readonly keys: readonly Buffer[];
}

/**
 * A landed transaction. Kept lean (a node holds hundreds of thousands): the wire bytes and the resolved
 * addresses; the message and the account flags are derived again when a reader needs them.
 */
export interface TransactionRecord {
  /** The fee payer's signature, base58: the transaction's id. */
  readonly signature: string;
  readonly slot: number;
  /** Position in its block. */
  readonly index: number;
  readonly blockTime: number;
  /** The signed transaction in wire format. */
  readonly bytes: Buffer;
  /** Every account key: static, then loaded writable, then loaded read-only. */
  readonly addresses: readonly string[];
  /** How many of `addresses` lookup tables loaded as writable (the loaded read-only ones follow them). */
  readonly loadedWritableCount: number;
  readonly meta: TransactionMeta;
  /** Memos of the transaction formatted as getSignaturesForAddress gives them, or null. */
  readonly memo: string | null;
}

export interface Block {
  readonly slot: number;
  readonly parentSlot: number;
  readonly blockhash: string;
  readonly previousBlockhash: string;
  readonly blockHeight: number;
  readonly blockTime: number;
  readonly transactions: readonly TransactionRecord[];
}
