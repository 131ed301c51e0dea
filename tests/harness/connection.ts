// The part of @solana/web3.js's `Connection` that Anchor and @solana/spl-token use, answered by LiteSVM.
//
// Every answer comes from LiteSVM's state; nothing is invented. Where a cluster has a notion LiteSVM lacks,
// the method says what it returns instead (block heights, rent epochs). Methods not listed here throw a
// clear error when called through `asConnection` instead of failing as "x is not a function".
import {
  type AccountInfo,
  type BlockhashWithExpiryBlockHeight,
  type Commitment,
  Connection,
  type Context,
  type GetProgramAccountsFilter,
  PublicKey,
  type RpcResponseAndContext,
  type SendOptions,
  type SignatureResult,
  type Signer,
  type SimulatedTransactionResponse,
  type TransactionConfirmationStrategy,
  Transaction,
  VersionedTransaction,
} from "@solana/web3.js";
import { type EncodedAccount, signature as toSignature } from "@solana/kit";
import { FailedTransactionMetadata, type LiteSVM } from "litesvm";
import bs58 from "bs58";
import { clusterTransactionError } from "../../svm/transaction-error.js";
import {
  type AnyTransaction,
  type SimulationResult,
  type TransactionResult,
  sendTransactionError,
  simulateTransaction,
  submitTransaction,
  toAddress,
} from "../../svm/transactions.js";

/** Options of `LiteSVMConnection`. */
export interface LiteSVMConnectionOptions {
  /**
   * Give LiteSVM a new blockhash after every committed transaction (default true). LiteSVM accepts only its
   * latest blockhash and never moves on by itself, so without this two identical sends (same instructions,
   * same signers) would fail the second time with AlreadyProcessed, where on a cluster time has passed and
   * the second one runs. The cost: a transaction signed before another one was sent must be signed again.
   */
  readonly expireBlockhashAfterSend?: boolean;
}

/** Options of `getAccountInfo` and friends that change the answer. */
interface AccountQueryConfig {
  readonly dataSlice?: { readonly offset: number; readonly length: number };
  readonly encoding?: string;
}

/** Options of `getProgramAccounts` that change the answer. */
interface ProgramAccountsConfig extends AccountQueryConfig {
  readonly filters?: readonly GetProgramAccountsFilter[];
  readonly withContext?: boolean;
}

/** A Connection-compatible view of a LiteSVM instance. */
export class LiteSVMConnection {
  /** The commitment Anchor reads from `connection.commitment`; LiteSVM has only one (final) state. */
  readonly commitment: Commitment = "confirmed";
  readonly rpcEndpoint = "litesvm:";
  /** The last transaction sent or simulated through this connection (or a provider over it). */
  lastResult: TransactionResult | null = null;
  private readonly expireBlockhashAfterSend: boolean;
  private blockhashHolds = 0;
  private expireWhenReleased = false;

  constructor(
    readonly svm: LiteSVM,
    options: LiteSVMConnectionOptions = {},
  ) {
    this.expireBlockhashAfterSend = options.expireBlockhashAfterSend ?? true;
  }

  /** This object typed as a web3.js `Connection`, for Anchor and spl-token; see the file comment. */
  asConnection(): Connection {
    return asConnection(this);
  }

  // ---- accounts --------------------------------------------------------------------------------------

  /** The account, or null if it does not exist (no lamports). `rentEpoch` is left out: LiteSVM has none. */
  async getAccountInfo(publicKey: PublicKey, config?: Commitment | AccountQueryConfig): Promise<AccountInfo<Buffer> | null> {
    return this.readAccount(publicKey, config);
  }

  async getAccountInfoAndContext(
    publicKey: PublicKey,
    config?: Commitment | AccountQueryConfig,
  ): Promise<RpcResponseAndContext<AccountInfo<Buffer> | null>> {
    return { context: this.context(), value: this.readAccount(publicKey, config) };
  }

  async getMultipleAccountsInfo(
    publicKeys: PublicKey[],
    config?: Commitment | AccountQueryConfig,
  ): Promise<(AccountInfo<Buffer> | null)[]> {
    return publicKeys.map((key) => this.readAccount(key, config));
  }

  async getMultipleAccountsInfoAndContext(
    publicKeys: PublicKey[],
    config?: Commitment | AccountQueryConfig,
  ): Promise<RpcResponseAndContext<(AccountInfo<Buffer> | null)[]>> {
    return { context: this.context(), value: publicKeys.map((key) => this.readAccount(key, config)) };
  }

  /** Accounts owned by `programId` that pass every `memcmp` and `dataSize` filter. */
  async getProgramAccounts(
    programId: PublicKey,
    config?: Commitment | ProgramAccountsConfig,
  ): Promise<
    | { pubkey: PublicKey; account: AccountInfo<Buffer> }[]
    | RpcResponseAndContext<{ pubkey: PublicKey; account: AccountInfo<Buffer> }[]>
  > {
    const options = typeof config === "object" ? config : {};
    checkEncoding(options.encoding);
    const matches = this.svm
      .getProgramAccounts(toAddress(programId))
      .filter((account) => (options.filters ?? []).every((filter) => matchesFilter(Buffer.from(account.data), filter)))
      .map((account) => ({ pubkey: new PublicKey(account.address), account: toAccountInfo(account, options.dataSlice) }));
    return options.withContext ? { context: this.context(), value: matches } : matches;
  }

  async getBalance(publicKey: PublicKey): Promise<number> {
    return Number(this.svm.getBalance(toAddress(publicKey)) ?? 0n);
  }

  async getBalanceAndContext(publicKey: PublicKey): Promise<RpcResponseAndContext<number>> {
    return { context: this.context(), value: await this.getBalance(publicKey) };
  }

  async getMinimumBalanceForRentExemption(dataLength: number): Promise<number> {
    return Number(this.svm.minimumBalanceForRentExemption(BigInt(dataLength)));
  }

  // ---- chain -----------------------------------------------------------------------------------------

  /**
   * LiteSVM's current blockhash. LiteSVM has no block height: `lastValidBlockHeight` is 0 (as in LiteSVM's
   * own kit helper); the blockhash stays valid until it is expired (see `expireBlockhashAfterSend`).
   */
  async getLatestBlockhash(): Promise<BlockhashWithExpiryBlockHeight> {
    return { blockhash: this.svm.latestBlockhash(), lastValidBlockHeight: 0 };
  }

  async getLatestBlockhashAndContext(): Promise<RpcResponseAndContext<BlockhashWithExpiryBlockHeight>> {
    return { context: this.context(), value: await this.getLatestBlockhash() };
  }

  async getSlot(): Promise<number> {
    return Number(this.svm.getClock().slot);
  }

  // ---- transactions ----------------------------------------------------------------------------------

  /**
   * Submits a signed, serialized transaction. With preflight (the default) a failing transaction throws
   * the `SendTransactionError` a cluster gives and commits nothing. With `skipPreflight` it is committed
   * (fee charged) and its failure shows in `confirmTransaction`, as on a cluster.
   */
  async sendRawTransaction(rawTransaction: Buffer | Uint8Array | number[], options?: SendOptions): Promise<string> {
    return this.submit(VersionedTransaction.deserialize(Uint8Array.from(rawTransaction)), options);
  }

  /**
   * `Connection.sendTransaction`: a legacy transaction gets the latest blockhash and is signed by `signers`
   * (the first one pays unless `feePayer` is set); a versioned one must be signed already.
   */
  async sendTransaction(
    transaction: AnyTransaction,
    signersOrOptions?: Signer[] | SendOptions,
    options?: SendOptions,
  ): Promise<string> {
    if (transaction instanceof VersionedTransaction) {
      if (Array.isArray(signersOrOptions)) throw new Error("sendTransaction: a VersionedTransaction takes no signers");
      return this.submit(transaction, signersOrOptions);
    }
    if (!Array.isArray(signersOrOptions)) throw new Error("sendTransaction: a legacy Transaction needs its signers");
    transaction.recentBlockhash = this.svm.latestBlockhash();
    transaction.sign(...signersOrOptions);
    return this.submit(transaction, options);
  }

  /** The transaction's status from LiteSVM's history; throws if LiteSVM never committed it. */
  async confirmTransaction(
    strategy: TransactionConfirmationStrategy | string,
    _commitment?: Commitment,
  ): Promise<RpcResponseAndContext<SignatureResult>> {
    const signature = typeof strategy === "string" ? strategy : strategy.signature;
    const outcome = this.svm.getTransaction(toSignature(signature));
    if (outcome === null) throw new Error(`transaction ${signature} is not in LiteSVM's history: it was never committed`);
    const err = outcome instanceof FailedTransactionMetadata ? clusterTransactionError(outcome.err()).err : null;
    return { context: this.context(), value: { err } };
  }

  /**
   * `Connection.simulateTransaction` for signed transactions (a legacy one is given the latest blockhash and
   * signed by `signers` first). Unlike a cluster's RPC, which simulates with `sigVerify: false`, LiteSVM
   * checks signatures, so every signer must be present.
   */
  async simulateTransaction(
    transaction: AnyTransaction,
    signers?: Signer[] | object,
    includeAccounts?: boolean | PublicKey[],
  ): Promise<RpcResponseAndContext<SimulatedTransactionResponse>> {
    if (transaction instanceof Transaction) {
      if (!Array.isArray(signers) || signers.length === 0) {
        throw new Error("simulateTransaction: LiteSVM verifies signatures, pass the signers of a legacy Transaction");
      }
      transaction.recentBlockhash = this.svm.latestBlockhash();
      transaction.sign(...signers);
    }
    const simulation = this.simulate(transaction);
    return { context: this.context(), value: simulationResponse(simulation, transaction, includeAccounts) };
  }

  /** Submits a signed transaction, records it in `lastResult`, throws what a cluster throws. */
  submit(transaction: AnyTransaction, options: SendOptions = {}): string {
    const result = submitTransaction(this.svm, transaction, { skipPreflight: options.skipPreflight });
    this.lastResult = result;
    if (result.committed && this.expireBlockhashAfterSend) {
      if (this.blockhashHolds === 0) this.svm.expireBlockhash();
      else this.expireWhenReleased = true;
    }
    if (result.err !== null && !(options.skipPreflight && result.committed)) {
      throw sendTransactionError(result, { skipPreflight: options.skipPreflight });
    }
    return result.signature;
  }

  /**
   * Runs `send` with the blockhash held: transactions signed together with one blockhash (as
   * `Provider.sendAll` does) all stay valid; the blockhash is expired once at the end.
   */
  holdingBlockhash<T>(send: () => T): T {
    this.blockhashHolds++;
    try {
      return send();
    } finally {
      this.blockhashHolds--;
      if (this.blockhashHolds === 0 && this.expireWhenReleased) {
        this.expireWhenReleased = false;
        this.svm.expireBlockhash();
      }
    }
  }

  /** Simulates a signed transaction and records it in `lastResult`. */
  simulate(transaction: AnyTransaction): SimulationResult {
    const simulation = simulateTransaction(this.svm, transaction);
    this.lastResult = simulation.result;
    return simulation;
  }

  private context(): Context {
    return { slot: Number(this.svm.getClock().slot) };
  }

  private readAccount(publicKey: PublicKey, config?: Commitment | AccountQueryConfig): AccountInfo<Buffer> | null {
    const options = typeof config === "object" ? config : {};
    checkEncoding(options.encoding);
    const account = this.svm.getAccount(toAddress(publicKey));
    return account.exists ? toAccountInfo(account, options.dataSlice) : null;
  }
}

/** web3.js's view of a LiteSVM account (`rentEpoch` left out: LiteSVM does not expose it). */
function toAccountInfo(account: EncodedAccount, slice?: AccountQueryConfig["dataSlice"]): AccountInfo<Buffer> {
  const data = Buffer.from(account.data);
  return {
    data: slice ? data.subarray(slice.offset, slice.offset + slice.length) : data,
    executable: account.executable,
    lamports: Number(account.lamports),
    owner: new PublicKey(account.programAddress),
  };
}

/** Wraps the connection so that any `Connection` method it lacks throws an explicit error. */
export function asConnection(connection: LiteSVMConnection): Connection {
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property in target) return Reflect.get(target, property, receiver);
      if (typeof property === "string" && isConnectionMethod(property)) {
        return () => {
          throw new Error(
            `Connection.${property}() is not implemented over LiteSVM; add it to tests/harness/connection.ts`,
          );
        };
      }
      return undefined;
    },
  }) as unknown as Connection;
}

function isConnectionMethod(name: string): boolean {
  return typeof Object.getOwnPropertyDescriptor(Connection.prototype, name)?.value === "function";
}

function checkEncoding(encoding: string | undefined): void {
  if (encoding !== undefined && encoding !== "base64") {
    throw new Error(`encoding "${encoding}" is not supported over LiteSVM (only raw account data)`);
  }
}

function matchesFilter(data: Buffer, filter: GetProgramAccountsFilter): boolean {
  if ("dataSize" in filter) return data.length === filter.dataSize;
  const { offset, bytes } = filter.memcmp;
  const expected = filter.memcmp.encoding === "base64" ? Buffer.from(bytes, "base64") : Buffer.from(bs58.decode(bytes));
  return data.subarray(offset, offset + expected.length).equals(expected);
}

/** The RPC's `simulateTransaction` answer for a simulation; `includeAccounts` as in web3.js. */
export function simulationResponse(
  simulation: SimulationResult,
  transaction: AnyTransaction,
  includeAccounts: boolean | PublicKey[] | undefined,
): SimulatedTransactionResponse {
  const { result, postAccounts } = simulation;
  let accounts: SimulatedTransactionResponse["accounts"] = null;
  if (includeAccounts) {
    const wanted =
      includeAccounts === true
        ? (transaction instanceof Transaction ? transaction.compileMessage() : transaction.message).staticAccountKeys
        : includeAccounts;
    accounts = wanted.map((key) => {
      const account = postAccounts.find((a) => a.pubkey.equals(key));
      if (!account) return null;
      return {
        executable: account.executable,
        owner: account.owner.toBase58(),
        lamports: Number(account.lamports),
        data: [account.data.toString("base64"), "base64"],
      };
    });
  }
  return {
    err: result.err,
    logs: [...result.logs],
    accounts,
    unitsConsumed: Number(result.computeUnitsConsumed),
    returnData: result.returnData && {
      programId: result.returnData.programId.toBase58(),
      data: [result.returnData.data.toString("base64"), "base64"],
    },
  };
}
