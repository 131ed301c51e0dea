// The chain: LiteSVM's state advanced slot by slot. Transactions land in the open slot (processed); closing a
// slot makes its block (confirmed at once: a single validator votes for its own blocks); a block becomes final
// `finalityDepth` blocks later. Account reads at confirmed and finalized commitment come from the account
// history; a fork drops the newest unfinalized blocks and writes their accounts back.
import { createHash } from "node:crypto";
import { Keypair, SystemProgram, Transaction, ComputeBudgetProgram, PublicKey } from "@solana/web3.js";
import { Clock, FailedTransactionMetadata, type LiteSVM, type TransactionMetadata } from "litesvm";
import bs58 from "bs58";
import { type ClusterTransactionError, fieldlessTransactionError } from "../../svm/transaction-error.js";
import { ed25519Signer } from "../../svm/ed25519.js";
import { AccountHistory } from "./account-history.js";
import { base58Encode } from "./base58.js";
import type { ChainListener, ForkEvent, WrittenAccount } from "./events.js";
import { transactionFee } from "./fees.js";
import { SYSTEM_PROGRAM_ID, addressOf, keyOf } from "./keys.js";
import { DEFAULT_LEDGER_LIMITS, Ledger, type LedgerLimits } from "./ledger.js";
import { type AccountState, type NativeLiteSvm, fromNative, nativeOf, readAccount, writeAccount } from "./native.js";
import type { Block, ResolvedKeys, TransactionMeta, TransactionRecord } from "./records.js";
import { tokenBalances } from "./tokens.js";
import { type ExecutionReport, TransactionRejected, executionReport, memoOf, resolveKeys } from "./transaction.js";
import { type WireMessage, type WireTransaction, parseTransaction, withBlockhash } from "./wire.js";

export type Commitment = "processed" | "confirmed" | "finalized";

/** Blocks a blockhash stays usable for (MAX_PROCESSING_AGE). */
export const MAX_PROCESSING_AGE = 150;
/** Slots the status cache answers getSignatureStatuses for without searchTransactionHistory. */
export const STATUS_CACHE_SLOTS = 300;
const SLOT_HASHES_MAX_ENTRIES = 512;
const DEFAULT_HASH = bs58.encode(new Uint8Array(32));

export interface ChainConfig {
  /** Blocks between the newest confirmed block and the newest finalized one (a cluster: 31). */
  readonly finalityDepth: number;
  readonly ledgerLimits?: LedgerLimits;
  /** Unix time source in seconds (tests substitute it). */
  readonly now?: () => number;
  /** Where a failing listener is reported (default console.error). */
  readonly onListenerError?: (error: unknown) => void;
}

/** What is fixed when a ledger is created. */
export interface Genesis {
  readonly genesisHash: string;
  /** Unix seconds. */
  readonly creationTime: number;
  /** Pays airdrops. */
  readonly faucet: Keypair;
}

export interface SubmitOptions {
  /** false (a cluster's default): simulate first; a failing transaction is refused and nothing is charged. */
  readonly skipPreflight?: boolean;
}

/** What became of a submitted transaction. */
export type SubmitResult =
  /** Landed in the open slot (with `record.meta.err` set when it failed without preflight). */
  | { readonly status: "landed"; readonly signature: string; readonly record: TransactionRecord }
  /** Refused by preflight: nothing charged, nothing recorded. */
  | {
      readonly status: "rejected";
      readonly signature: string;
      readonly error: ClusterTransactionError;
      readonly report: ExecutionReport | null;
      readonly fee: bigint;
    }
  /** Without preflight, a transaction that can never land (a cluster drops it silently). */
  | { readonly status: "dropped"; readonly signature: string; readonly error: ClusterTransactionError };

export interface SimulateOptions {
  /** Verify signatures (default false, as the RPC). */
  readonly sigVerify?: boolean;
  /** Simulate with the latest blockhash instead of the transaction's. */
  readonly replaceRecentBlockhash?: boolean;
}

export interface SimulationResult {
  readonly error: ClusterTransactionError | null;
  readonly report: ExecutionReport | null;
  readonly keys: ResolvedKeys | null;
  /** Accounts of the transaction after the simulated execution, by address (empty when it failed). */
  readonly postAccounts: ReadonlyMap<string, AccountState | null>;
  readonly fee: bigint;
  readonly replacementBlockhash: { readonly blockhash: string; readonly lastValidBlockHeight: number } | null;
}

/** A signature's status as getSignatureStatuses gives it. */
export interface SignatureStatus {
  readonly slot: number;
  /** Blocks built on it; null once final. */
  readonly confirmations: number | null;
  readonly err: TransactionMeta["err"];
  readonly confirmationStatus: Commitment;
}

export class Chain {
  readonly native: NativeLiteSvm;
  readonly ledger: Ledger;
  private readonly history = new AccountHistory();
  private readonly listeners = new Set<ChainListener>();
  private readonly now: () => number;
  private readonly signFaucet: (message: Uint8Array) => Buffer;

  private openSlot: number;
  private openTime: number;
  private openTransactions: TransactionRecord[] = [];
  /** Closed blocks not yet final, oldest first. */
  private readonly unfinalized: Block[] = [];
  private lastBlock: Block;
  private finalBlock: Block;
  /** Blockhash -> block height, for the blocks whose hash transactions may still use. */
  private readonly blockhashes = new Map<string, number>();
  private readonly blockhashOrder: Array<{ hash: string; height: number }> = [];
  /** Newest first, as the SlotHashes sysvar. */
  private slotHashes: Array<{ slot: bigint; hash: string }> = [];
  private epochStart: { epoch: bigint; timestamp: bigint };
  private transactionCount = 0;
  private readonly arena = new ByteArena();
  private airdropNonce = 0;

  /**
   * A chain over `svm`, whose accounts are the genesis state (programs deployed, faucet funded). The
   * genesis block is slot 0 (already final); slot 1 opens.
   */
  constructor(
    svm: LiteSVM,
    readonly genesis: Genesis,
    private readonly config: ChainConfig,
  ) {
    if (!Number.isInteger(config.finalityDepth) || config.finalityDepth < 0) {
      throw new Error(`finalityDepth must be a non-negative integer, got ${config.finalityDepth}`);
    }
    this.native = nativeOf(svm);
    this.ledger = new Ledger(config.ledgerLimits ?? DEFAULT_LEDGER_LIMITS);
    this.now = config.now ?? (() => Math.floor(Date.now() / 1000));
    this.signFaucet = ed25519Signer(genesis.faucet);
    const genesisBlock: Block = {
      slot: 0,
      parentSlot: 0,
      blockhash: genesis.genesisHash,
      previousBlockhash: DEFAULT_HASH,
      blockHeight: 0,
      blockTime: genesis.creationTime,
      transactions: [],
    };
    this.ledger.addBlock(genesisBlock);
    this.lastBlock = genesisBlock;
    this.finalBlock = genesisBlock;
    this.rememberBlockhash(genesisBlock);
    this.slotHashes = [{ slot: 0n, hash: genesis.genesisHash }];
    this.epochStart = { epoch: 0n, timestamp: BigInt(genesis.creationTime) };
    this.openSlot = 0;
    this.openTime = genesis.creationTime;
    this.open(1);
  }

  addListener(listener: ChainListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls every listener; one that throws is reported and does not stop the others or the chain. */
  private emit(call: (listener: ChainListener) => void): void {
    for (const listener of this.listeners) {
      try {
        call(listener);
      } catch (error) {
        if (this.config.onListenerError) this.config.onListenerError(error);
        else console.error("localnet: a chain listener failed:", error);
      }
    }
  }

  // ---- slots and commitments --------------------------------------------------------------------------

  /** The slot at a commitment: the open slot (processed), the newest block, or the newest final block. */
  slot(commitment: Commitment): number {
    if (commitment === "processed") return this.openSlot;
    return commitment === "confirmed" ? this.lastBlock.slot : this.finalBlock.slot;
  }

  /** Block height at a commitment (processed: the height the open slot's block will have). */
  blockHeight(commitment: Commitment): number {
    if (commitment === "processed") return this.lastBlock.blockHeight + 1;
    return commitment === "confirmed" ? this.lastBlock.blockHeight : this.finalBlock.blockHeight;
  }

  /** The newest block at a commitment (processed and confirmed: the newest closed block). */
  newestBlock(commitment: Commitment): Block {
    return commitment === "finalized" ? this.finalBlock : this.lastBlock;
  }

  /** Transactions landed since genesis (those dropped by forks not counted). */
  get totalTransactions(): number {
    return this.transactionCount;
  }

  /** Closes the open slot into a block, finalizes what is deep enough, and opens the next slot. */
  tick(): void {
    this.closeOpenSlot();
    this.open(this.openSlot + 1);
  }

  /**
   * Restores a block from the data directory: its transactions and the accounts it wrote (`accounts`, their
   * states at its end), then closes it as `tick` does. The open slot must be empty.
   */
  restoreBlock(
    block: { slot: number; blockTime: number; transactions: readonly RestoredTransaction[] },
    accounts: ReadonlyArray<{ key: Buffer; state: AccountState | null }>,
  ): void {
    if (this.openTransactions.length > 0) throw new Error("restoring into a slot that has transactions");
    if (block.slot < this.openSlot) throw new Error(`block ${block.slot} is older than the open slot ${this.openSlot}`);
    if (block.slot > this.openSlot) this.open(block.slot);
    this.openTime = block.blockTime;
    for (const tx of block.transactions) {
      const parsed = parseTransaction(tx.bytes);
      const addresses = [...parsed.message.staticKeys.map(addressOf), ...tx.loadedWritable, ...tx.loadedReadonly];
      this.land(parsed, addresses, tx.loadedWritable.length, tx.meta, false);
    }
    for (const { key, state } of writeExecutableLast(accounts)) {
      const address = addressOf(key);
      this.history.recordWrite(this.openSlot, address, key, readAccount(this.native, key));
      writeAccount(this.native, key, state);
    }
    this.closeOpenSlot();
    this.open(this.openSlot + 1);
  }

  private closeOpenSlot(): void {
    const parent = this.lastBlock;
    const transactions = this.openTransactions;
    const block: Block = {
      slot: this.openSlot,
      parentSlot: parent.slot,
      blockhash: nextBlockhash(parent.blockhash, this.openSlot, transactions),
      previousBlockhash: parent.blockhash,
      blockHeight: parent.blockHeight + 1,
      blockTime: this.openTime,
      transactions,
    };
    this.openTransactions = [];
    this.ledger.addBlock(block);
    this.unfinalized.push(block);
    this.lastBlock = block;
    this.rememberBlockhash(block);
    this.slotHashes.unshift({ slot: BigInt(block.slot), hash: block.blockhash });
    if (this.slotHashes.length > SLOT_HASHES_MAX_ENTRIES) this.slotHashes.pop();
    const written = once(() => this.writtenAt(block.slot, true));
    this.emit((l) => l.onConfirmed?.(block, written));
    while (this.unfinalized.length > this.config.finalityDepth) this.finalize(this.unfinalized.shift()!);
    this.ledger.evict(this.finalBlock.slot);
  }

  private finalize(block: Block): void {
    const written = once(() => this.writtenAt(block.slot, false));
    this.finalBlock = block;
    this.emit((l) => l.onFinalized?.(block, written));
    this.history.forget(block.slot);
  }

  /** The accounts `slot` wrote, as they were at its end (`current`: the slot is the newest block). */
  private writtenAt(slot: number, current: boolean): WrittenAccount[] {
    return this.history.writtenBy(slot).map(({ address, key }) => ({
      address,
      state: current ? readAccount(this.native, key) : this.history.stateAt(address, slot, () => readAccount(this.native, key)),
    }));
  }

  private open(slot: number): void {
    this.openSlot = slot;
    this.openTime = Math.max(this.now(), this.lastBlock.blockTime);
    const epochSchedule = this.native.getEpochSchedule();
    const epoch = BigInt(slot) / epochSchedule.slotsPerEpoch;
    if (epoch !== this.epochStart.epoch) this.epochStart = { epoch, timestamp: BigInt(this.openTime) };
    this.native.setClock(new Clock(BigInt(slot), this.epochStart.timestamp, epoch, epoch + 1n, BigInt(this.openTime)));
    this.native.setSlotHashes(this.slotHashes);
    const info = { slot, parent: this.lastBlock.slot, root: this.finalBlock.slot };
    this.emit((l) => l.onSlot?.(info));
  }

  // ---- blockhashes ------------------------------------------------------------------------------------

  private rememberBlockhash(block: Block): void {
    this.blockhashes.set(block.blockhash, block.blockHeight);
    this.blockhashOrder.push({ hash: block.blockhash, height: block.blockHeight });
    // Keep twice the processing age, for isBlockhashValid at older commitments.
    while (this.blockhashOrder.length > 0 && this.blockhashOrder[0].height < block.blockHeight - 2 * MAX_PROCESSING_AGE) {
      this.blockhashes.delete(this.blockhashOrder.shift()!.hash);
    }
  }

  /** The blockhash transactions should use at a commitment, and the last block height it is valid for. */
  latestBlockhash(commitment: Commitment): { blockhash: string; lastValidBlockHeight: number; slot: number } {
    const block = this.newestBlock(commitment);
    return { blockhash: block.blockhash, lastValidBlockHeight: block.blockHeight + MAX_PROCESSING_AGE, slot: this.slot(commitment) };
  }

  /** Whether a transaction with this blockhash could still land, as seen at a commitment. */
  isBlockhashValid(blockhash: string, commitment: Commitment): boolean {
    const height = this.blockhashes.get(blockhash);
    if (height === undefined) return false;
    const block = this.newestBlock(commitment);
    return height <= block.blockHeight && block.blockHeight + (commitment === "processed" ? 1 : 0) <= height + MAX_PROCESSING_AGE;
  }

  /** Whether a transaction may use its blockhash now: a recent one, or the durable nonce it advances. */
  private checkAge(message: WireMessage, keys: ResolvedKeys): void {
    if (this.isBlockhashValid(addressOf(message.recentBlockhash), "processed")) return;
    if (this.isValidDurableNonce(message, keys)) return;
    throw new TransactionRejected(fieldlessTransactionError("BlockhashNotFound"));
  }

  /** A durable-nonce transaction: its first instruction advances a nonce account holding its blockhash. */
  private isValidDurableNonce(message: WireMessage, keys: ResolvedKeys): boolean {
    const first = message.instructions[0];
    if (first === undefined || keys.addresses[first.programIdIndex] !== SYSTEM_PROGRAM_ID) return false;
    if (first.data.length < 4 || first.data.readUInt32LE(0) !== 4 || first.accounts.length < 1) return false;
    const nonceIndex = first.accounts[0];
    if (!keys.writable[nonceIndex]) return false;
    const nonce = readAccount(this.native, keys.keys[nonceIndex]);
    if (nonce === null || addressOf(nonce.owner) !== SYSTEM_PROGRAM_ID || nonce.data.length !== 80) return false;
    // Versions::Current (1), State::Initialized (1), authority, durable nonce, fee calculator.
    if (nonce.data.readUInt32LE(0) !== 1 || nonce.data.readUInt32LE(4) !== 1) return false;
    return nonce.data.subarray(40, 72).equals(message.recentBlockhash);
  }

  // ---- transactions -----------------------------------------------------------------------------------

  /**
   * Submits a signed transaction in wire format. Throws `WireFormatError` when it is not well-formed;
   * everything else is in the result.
   */
  submit(bytes: Buffer, options: SubmitOptions = {}): SubmitResult {
    const tx = parseTransaction(bytes);
    const signature = base58Encode(tx.signatures[0]);
    const preflight = !options.skipPreflight;
    const refuse = (error: ClusterTransactionError, report: ExecutionReport | null = null, fee = 0n): SubmitResult =>
      preflight ? { status: "rejected", signature, error, report, fee } : { status: "dropped", signature, error };
    if (this.ledger.transaction(signature) !== undefined) return refuse(fieldlessTransactionError("AlreadyProcessed"));
    let keys: ResolvedKeys;
    try {
      keys = resolveKeys(tx.message, (key) => readAccount(this.native, key), this.openSlot);
      this.checkAge(tx.message, keys);
    } catch (error) {
      if (error instanceof TransactionRejected) return refuse(error.error);
      throw error;
    }
    // Programs invoked read-only only need their balance (for pre/postBalances).
    const lamportsOnly = keys.invoked.map((invoked, i) => invoked && !keys.writable[i]);
    const pre = keys.keys.map((key, i) => (lamportsOnly[i] ? null : readAccount(this.native, key)));
    const programLamports = keys.keys.map((key, i) => (lamportsOnly[i] ? (this.native.getBalance(key) ?? 0n) : 0n));
    const outcome =
      tx.message.version === "legacy" ? this.native.sendLegacyTransaction(bytes) : this.native.sendVersionedTransaction(bytes);
    const failed = outcome instanceof FailedTransactionMetadata;
    const report = executionReport(outcome as TransactionMetadata | FailedTransactionMetadata, failed);
    const fee = feeOf(tx.message, keys);
    if (report.err !== null) {
      if (!report.executed) return refuse(report.err, report, fee);
      if (preflight) {
        // LiteSVM charged the fee (the only write of a failed transaction): undo it.
        writeAccount(this.native, keys.keys[0], pre[0]);
        return refuse(report.err, report, fee);
      }
    }
    const post = keys.keys.map((key, i) => (keys.writable[i] ? readAccount(this.native, key) : pre[i]));
    const meta: TransactionMeta = {
      err: report.err?.err ?? null,
      fee: Number(fee),
      preBalances: BigUint64Array.from(pre, (a, i) => (lamportsOnly[i] ? programLamports[i] : (a?.lamports ?? 0n))),
      postBalances: BigUint64Array.from(post, (a, i) => (lamportsOnly[i] ? programLamports[i] : (a?.lamports ?? 0n))),
      preTokenBalances: tokenBalances(pre, keys.invoked, (mint) => this.stateIn(keys, pre, mint)),
      postTokenBalances: tokenBalances(post, keys.invoked, (mint) => this.stateIn(keys, post, mint)),
      logMessages: report.logMessages,
      innerInstructions: report.innerInstructions,
      computeUnitsConsumed: report.computeUnitsConsumed,
      returnData: report.returnData,
    };
    // A failed transaction writes only its fee payer (the fee).
    const writtenIndexes = keys.writable.flatMap((w, i) => (w && (report.err === null || i === 0) ? [i] : []));
    for (const i of writtenIndexes) this.history.recordWrite(this.openSlot, keys.addresses[i], keys.keys[i], pre[i]);
    this.emit((l) => l.onReceived?.(signature, this.openSlot));
    const record = this.land(tx, keys.addresses, keys.loadedWritable.length, meta, true, () => writtenIndexes.map((i) => ({ address: keys.addresses[i], state: post[i] })));
    return { status: "landed", signature, record };
  }

  /** A mint's state for token balances: from the transaction's own accounts if there, else current. */
  private stateIn(keys: ResolvedKeys, states: readonly (AccountState | null)[], mint: Buffer): AccountState | null {
    const index = keys.keys.findIndex((k) => k.equals(mint));
    return index >= 0 ? states[index] : readAccount(this.native, mint);
  }

  private land(
    tx: WireTransaction,
    addresses: readonly string[],
    loadedWritableCount: number,
    meta: TransactionMeta,
    notify: boolean,
    written?: () => WrittenAccount[],
  ): TransactionRecord {
    const record: TransactionRecord = {
      signature: base58Encode(tx.signatures[0]),
      slot: this.openSlot,
      index: this.openTransactions.length,
      blockTime: this.openTime,
      bytes: this.arena.copy(tx.bytes),
      addresses,
      loadedWritableCount,
      meta,
      memo: memoOf(tx.message, addresses),
    };
    this.openTransactions.push(record);
    this.ledger.addTransaction(record);
    this.transactionCount++;
    if (notify && this.listeners.size > 0) {
      const accounts = written?.() ?? [];
      this.emit((l) => l.onTransaction?.(record, accounts));
    }
    return record;
  }

  /** Simulates a transaction against the current (processed) state; commits nothing. */
  simulate(bytes: Buffer, options: SimulateOptions = {}): SimulationResult {
    const tx = parseTransaction(bytes);
    let wire = bytes;
    let replacementBlockhash: SimulationResult["replacementBlockhash"] = null;
    if (options.replaceRecentBlockhash) {
      const latest = this.latestBlockhash("processed");
      const message = withBlockhash(tx.message, keyOf(latest.blockhash));
      wire = Buffer.concat([bytes.subarray(0, bytes.length - message.length), message]);
      replacementBlockhash = { blockhash: latest.blockhash, lastValidBlockHeight: latest.lastValidBlockHeight };
    }
    const parsed = options.replaceRecentBlockhash ? parseTransaction(wire) : tx;
    const fail = (error: ClusterTransactionError, keys: ResolvedKeys | null, report: ExecutionReport | null = null): SimulationResult => ({
      error,
      report,
      keys,
      postAccounts: new Map(),
      fee: keys ? feeOf(parsed.message, keys) : 0n,
      replacementBlockhash,
    });
    let keys: ResolvedKeys;
    try {
      keys = resolveKeys(parsed.message, (key) => readAccount(this.native, key), this.openSlot);
      if (!options.replaceRecentBlockhash) this.checkAge(parsed.message, keys);
    } catch (error) {
      if (error instanceof TransactionRejected) return fail(error.error, null);
      throw error;
    }
    if (this.ledger.transaction(base58Encode(parsed.signatures[0])) !== undefined) {
      return fail(fieldlessTransactionError("AlreadyProcessed"), keys);
    }
    const sigVerify = options.sigVerify ?? false;
    if (!sigVerify) this.native.setSigverify(false);
    let outcome;
    try {
      outcome =
        parsed.message.version === "legacy"
          ? this.native.simulateLegacyTransaction(wire)
          : this.native.simulateVersionedTransaction(wire);
    } finally {
      if (!sigVerify) this.native.setSigverify(true);
    }
    if (outcome instanceof FailedTransactionMetadata) {
      const report = executionReport(outcome, true);
      return fail(report.err!, keys, report);
    }
    const postAccounts = new Map<string, AccountState | null>();
    for (const entry of outcome.postAccounts()) {
      const account = entry.account();
      postAccounts.set(addressOf(entry.address), account.lamports() === 0n ? null : fromNative(account));
    }
    return {
      error: null,
      report: executionReport(outcome.meta(), false),
      keys,
      postAccounts,
      fee: feeOf(parsed.message, keys),
      replacementBlockhash,
    };
  }

  /** The fee of a message as it would be charged now, or null if its blockhash is no longer valid. */
  feeForMessage(message: WireMessage): bigint | null {
    const keys = resolveKeys(message, (key) => readAccount(this.native, key), this.openSlot);
    try {
      this.checkAge(message, keys);
    } catch (error) {
      if (error instanceof TransactionRejected) return null;
      throw error;
    }
    return feeOf(message, keys);
  }

  /** Sends `lamports` from the faucet to `to` in a transaction of its own; the result of its submission. */
  airdrop(to: PublicKey, lamports: bigint): SubmitResult {
    const faucet = this.genesis.faucet.publicKey;
    for (let attempt = 0; attempt < 1_000; attempt++) {
      const tx = new Transaction({ feePayer: faucet, recentBlockhash: this.lastBlock.blockhash });
      // The same airdrop twice in a block would be the same transaction: vary it with a compute limit.
      if (this.airdropNonce > 0) tx.add(ComputeBudgetProgram.setComputeUnitLimit({ units: 200_000 - (this.airdropNonce % 100_000) }));
      tx.add(SystemProgram.transfer({ fromPubkey: faucet, toPubkey: to, lamports }));
      const message = tx.compileMessage().serialize();
      const wire = Buffer.concat([Buffer.of(1), this.signFaucet(message), message]);
      const result = this.submit(wire);
      if (result.status === "rejected" && result.error.err === "AlreadyProcessed") {
        this.airdropNonce++;
        continue;
      }
      return result;
    }
    throw new Error("could not make a distinct airdrop transaction");
  }

  // ---- reads --------------------------------------------------------------------------------------------

  /** An account at a commitment, or null if it does not exist there. */
  account(key: Buffer, commitment: Commitment, address: string = addressOf(key)): AccountState | null {
    if (commitment === "processed") return readAccount(this.native, key);
    return this.history.stateAt(address, this.slot(commitment), () => readAccount(this.native, key));
  }

  /** The accounts owned by `owner` at a commitment, by address. */
  programAccounts(owner: Buffer, commitment: Commitment): Map<string, AccountState> {
    const out = new Map<string, AccountState>();
    for (const entry of this.native.getProgramAccounts(owner)) {
      out.set(addressOf(entry.address), fromNative(entry.account()));
    }
    if (commitment === "processed") return out;
    const slot = this.slot(commitment);
    for (const [address, key] of this.history.writtenAfter(slot)) {
      const state = this.history.stateAt(address, slot, () => readAccount(this.native, key));
      if (state !== null && state.owner.equals(owner)) out.set(address, state);
      else out.delete(address);
    }
    return out;
  }

  /** A landed transaction visible at a commitment (confirmed or finalized), or undefined. */
  transaction(signature: string, commitment: Exclude<Commitment, "processed">): TransactionRecord | undefined {
    const tx = this.ledger.transaction(signature);
    return tx !== undefined && tx.slot <= this.slot(commitment) ? tx : undefined;
  }

  /** A signature's status, or null if unknown (older than the status cache without `searchHistory`). */
  signatureStatus(signature: string, searchHistory: boolean): SignatureStatus | null {
    const tx = this.ledger.transaction(signature);
    if (tx === undefined) return null;
    if (!searchHistory && tx.slot < this.openSlot - STATUS_CACHE_SLOTS) return null;
    return this.statusOf(tx);
  }

  statusOf(tx: TransactionRecord): SignatureStatus {
    const final = tx.slot <= this.finalBlock.slot;
    const confirmed = tx.slot <= this.lastBlock.slot;
    const height = this.ledger.block(tx.slot)?.blockHeight ?? this.lastBlock.blockHeight;
    return {
      slot: tx.slot,
      confirmations: final ? null : confirmed ? this.lastBlock.blockHeight - height : 0,
      err: tx.meta.err,
      confirmationStatus: final ? "finalized" : confirmed ? "confirmed" : "processed",
    };
  }

  /** Whether `slot` has a block visible at a commitment, and the block. */
  block(slot: number, commitment: Exclude<Commitment, "processed">): Block | undefined {
    return slot <= this.slot(commitment) ? this.ledger.block(slot) : undefined;
  }

  // ---- forks --------------------------------------------------------------------------------------------

  /**
   * Drops the newest `depth` confirmed blocks that are not final (fewer if there are fewer) and the open
   * slot's transactions, as a cluster abandoning a fork would: their transactions vanish, their accounts are
   * written back, and their blockhashes stop being valid. The next slot builds on the newest block left.
   */
  fork(depth: number): ForkEvent {
    if (!Number.isInteger(depth) || depth < 0) throw new Error(`fork depth must be a non-negative integer, got ${depth}`);
    const droppedBlocks = this.unfinalized.splice(Math.max(0, this.unfinalized.length - depth));
    const droppedSlots = [...droppedBlocks.map((b) => b.slot), this.openSlot];
    const droppedTransactions = [...droppedBlocks.flatMap((b) => b.transactions), ...this.openTransactions];
    const restored = this.history.undoFrom(droppedSlots[0]);
    for (const { key, state } of writeExecutableLast(restored.map((r) => ({ key: r.key, state: r.state })))) {
      writeAccount(this.native, key, state);
    }
    this.ledger.removeNewest(droppedTransactions);
    this.ledger.removeBlocks(droppedBlocks.map((b) => b.slot));
    for (const block of droppedBlocks) this.blockhashes.delete(block.blockhash);
    this.transactionCount -= droppedTransactions.length;
    this.openTransactions = [];
    this.lastBlock = this.unfinalized.at(-1) ?? this.finalBlock;
    this.slotHashes = this.slotHashes.filter((entry) => entry.slot <= BigInt(this.lastBlock.slot));
    const event: ForkEvent = {
      droppedSlots,
      droppedSignatures: droppedTransactions.map((tx) => tx.signature),
      restored: restored.map((r) => ({ address: r.address, state: r.state })),
      parentSlot: this.lastBlock.slot,
    };
    this.emit((l) => l.onFork?.(event));
    this.open(this.openSlot + 1);
    return event;
  }

}

/** A transaction as the data directory keeps it. */
export interface RestoredTransaction {
  readonly bytes: Buffer;
  readonly loadedWritable: readonly string[];
  readonly loadedReadonly: readonly string[];
  readonly meta: TransactionMeta;
}

function feeOf(message: WireMessage, keys: ResolvedKeys): bigint {
  return transactionFee(
    message.header.numRequiredSignatures,
    message.instructions.map((ix) => ({ programId: keys.addresses[ix.programIdIndex], data: ix.data })),
  );
}

/** Executable accounts after the others: loading a program reads its ProgramData, which must be there first. */
function writeExecutableLast<T extends { state: AccountState | null }>(accounts: readonly T[]): T[] {
  return [...accounts.filter((a) => !a.state?.executable), ...accounts.filter((a) => a.state?.executable)];
}

/** A block's hash: sha256 of its parent's hash, its slot and its transactions' signatures. */
function nextBlockhash(parentHash: string, slot: number, transactions: readonly TransactionRecord[]): string {
  const hash = createHash("sha256").update(bs58.decode(parentHash));
  const slotBytes = Buffer.alloc(8);
  slotBytes.writeBigUInt64LE(BigInt(slot));
  hash.update(slotBytes);
  // The first signature follows its one-byte count (a transaction has fewer than 128 signatures).
  for (const tx of transactions) hash.update(tx.bytes.subarray(1, 65));
  return bs58.encode(hash.digest());
}

/**
 * Copies of the wire bytes of landed transactions, packed in 64 KiB slabs: a node keeps hundreds of
 * thousands, and each small Buffer of its own (or a slice of Node's shared pool) would cost far more.
 */
class ByteArena {
  private static readonly SLAB = 64 * 1024;
  private slab = Buffer.allocUnsafeSlow(ByteArena.SLAB);
  private used = 0;

  copy(bytes: Uint8Array): Buffer {
    if (bytes.length > ByteArena.SLAB / 4) return Buffer.from(bytes);
    if (this.used + bytes.length > ByteArena.SLAB) {
      this.slab = Buffer.allocUnsafeSlow(ByteArena.SLAB);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + bytes.length);
    out.set(bytes);
    this.used += bytes.length;
    return out;
  }
}

function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}
