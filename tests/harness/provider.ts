// An Anchor `Provider` over LiteSVM: `program.methods.x().rpc()`, `.simulate()`, `.instruction()` and
// `program.account.X.fetch()` run against an in-process LiteSVM instead of a validator.
//
// It behaves as `AnchorProvider` does over a real RPC node, so a test that passes here means the same on a
// cluster. In particular failures throw the `SendTransactionError` web3.js throws (with `.logs`), which
// Anchor's `translateError` turns into an `AnchorError` when the program logged
// "AnchorError occurred. Error Code: X. Error Number: N. Error Message: M.". Note that Anchor 0.32.1's
// `ProgramError.parse` gives up on a plain "custom program error: 0x1770" (the error text holds it twice:
// in the message and in the logs), on a cluster and here alike; `customErrorOf` (errors.ts) reads it.
import anchor from "@coral-xyz/anchor";
import type { Provider } from "@coral-xyz/anchor";
import {
  type ConfirmOptions,
  type Connection,
  Keypair,
  LAMPORTS_PER_SOL,
  type PublicKey,
  type SendOptions,
  type Signer,
  type SimulatedTransactionResponse,
  Transaction,
  VersionedTransaction,
} from "@solana/web3.js";
import { lamports } from "@solana/kit";
import { LiteSVM } from "litesvm";
import { LiteSVMConnection, type LiteSVMConnectionOptions, simulationResponse } from "./connection.js";
import { type AnyTransaction, type TransactionResult, sendTransactionError, toAddress } from "../../svm/transactions.js";

/** The wallet interface of Anchor's `Provider` (not exported by name from @coral-xyz/anchor). */
export type AnchorWallet = NonNullable<Provider["wallet"]>;

/** What `Provider.simulate` resolves to. */
export type SimulationResponse = Omit<SimulatedTransactionResponse, "err">;

/** Options of `LiteSVMProvider`. */
export interface LiteSVMProviderOptions extends LiteSVMConnectionOptions {
  /** Signs and pays; default: a new keypair funded with `payerLamports`. */
  readonly payer?: Keypair;
  /** Airdropped to a generated payer (default 100 SOL). */
  readonly payerLamports?: bigint;
  /** Default send options, as `AnchorProvider.opts` (default: preflight on). */
  readonly opts?: ConfirmOptions;
}

/** Anchor `Provider` backed by LiteSVM; see the file comment. */
export class LiteSVMProvider implements Provider {
  readonly svm: LiteSVM;
  /** LiteSVM seen through web3.js's `Connection` interface (what Anchor and spl-token call). */
  readonly connection: Connection;
  /** The same connection with its LiteSVM-specific members (`lastResult`, `submit`, `simulate`). */
  readonly liteConnection: LiteSVMConnection;
  readonly wallet: AnchorWallet & { readonly payer: Keypair };
  readonly publicKey: PublicKey;
  readonly opts: ConfirmOptions;

  constructor(svm: LiteSVM = new LiteSVM(), options: LiteSVMProviderOptions = {}) {
    this.svm = svm;
    this.liteConnection = new LiteSVMConnection(svm, options);
    this.connection = this.liteConnection.asConnection();
    let payer = options.payer;
    if (!payer) {
      payer = Keypair.generate();
      svm.airdrop(toAddress(payer.publicKey), lamports(options.payerLamports ?? 100n * BigInt(LAMPORTS_PER_SOL)));
    }
    this.wallet = new anchor.Wallet(payer);
    this.publicKey = payer.publicKey;
    this.opts = options.opts ?? {};
  }

  /** Logs, compute units, inner instructions, return data and error of the last transaction sent or simulated. */
  get lastResult(): TransactionResult | null {
    return this.liteConnection.lastResult;
  }

  /**
   * As `AnchorProvider.sendAndConfirm`: a legacy transaction gets the wallet as default fee payer, the
   * latest blockhash and the signatures of `signers`; the wallet signs last. Resolves to the signature.
   */
  async sendAndConfirm(tx: AnyTransaction, signers?: Signer[], opts?: ConfirmOptions): Promise<string> {
    const signed = await this.sign(tx, signers);
    return this.sendSigned(signed, opts ?? this.opts);
  }

  /** Same as `sendAndConfirm`: LiteSVM confirms synchronously. */
  async send(tx: AnyTransaction, signers?: Signer[], opts?: SendOptions): Promise<string> {
    return this.sendAndConfirm(tx, signers, opts);
  }

  /** As `AnchorProvider.sendAll`: signs all with one blockhash, then sends them in order. */
  async sendAll<T extends AnyTransaction>(txs: { tx: T; signers?: Signer[] }[], opts?: ConfirmOptions): Promise<string[]> {
    const signed: AnyTransaction[] = [];
    for (const { tx, signers } of txs) signed.push(await this.sign(tx, signers));
    return this.liteConnection.holdingBlockhash(() => signed.map((tx) => this.sendSigned(tx, opts ?? this.opts)));
  }

  /**
   * As `AnchorProvider.simulate`, except that the wallet always signs (LiteSVM verifies signatures where a
   * cluster's RPC simulates with `sigVerify: false`). A failing simulation throws the `SendTransactionError`
   * a failed preflight gives, with logs; `AnchorProvider` throws an internal `SimulateError` whose logs
   * Anchor cannot translate.
   */
  async simulate(
    tx: AnyTransaction,
    signers?: Signer[],
    _commitment?: unknown,
    includeAccounts?: boolean | PublicKey[],
  ): Promise<SimulationResponse> {
    const signed = await this.sign(tx, signers);
    const simulation = this.liteConnection.simulate(signed);
    if (simulation.result.err !== null) throw sendTransactionError(simulation.result);
    const { err: _err, ...response } = simulationResponse(simulation, signed, includeAccounts);
    return response;
  }

  /**
   * Sends an already signed transaction (no wallet involved; any fee payer). Throws as `sendAndConfirm`;
   * with `skipPreflight` a failing transaction is committed, pays its fee, and then throws.
   */
  sendSigned(tx: AnyTransaction, opts: SendOptions = this.opts): string {
    const signature = this.liteConnection.submit(tx, opts);
    const result = this.liteConnection.lastResult;
    if (result?.err) throw sendTransactionError(result, { skipPreflight: opts.skipPreflight });
    return signature;
  }

  private async sign<T extends AnyTransaction>(tx: T, signers: Signer[] = []): Promise<T> {
    if (tx instanceof VersionedTransaction) {
      if (signers.length > 0) tx.sign(signers);
    } else if (tx instanceof Transaction) {
      tx.feePayer ??= this.wallet.publicKey;
      tx.recentBlockhash = this.svm.latestBlockhash();
      for (const signer of signers) tx.partialSign(signer);
    }
    return this.wallet.signTransaction(tx);
  }
}
