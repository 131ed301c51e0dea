// The test fixture: a LiteSVM with infergrid's programs (target/deploy/<name>.so at the ids of Anchor.toml's
// [programs.localnet]), an Anchor provider over it, and helpers for keys, lamports, time and SPL tokens.
import {
  type Account as TokenAccount,
  type Mint,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createMintToInstruction,
  unpackAccount,
  unpackMint,
} from "@solana/spl-token";
import {
  type AccountInfo,
  Keypair,
  LAMPORTS_PER_SOL,
  PublicKey,
  type Signer,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import { lamports } from "@solana/kit";
import { FailedTransactionMetadata, LiteSVM } from "litesvm";
import { type DeclaredProgram } from "../../svm/anchor-toml.js";
import { deployProgram } from "../../svm/deploy.js";
import { clusterTransactionError } from "../../svm/transaction-error.js";
import { readProgramSo, workspacePrograms } from "../../svm/workspace.js";
import { LiteSVMProvider, type LiteSVMProviderOptions } from "./provider.js";
import {
  type MintSpec,
  associatedTokenAccount,
  createMintInstructions,
  createTokenAccountInstructions,
  mintSpace,
  tokenAccountSpace,
} from "./tokens.js";
import { type TransactionResult, toAddress } from "../../svm/transactions.js";

/** Options of `TestSvm.create`. */
export interface TestSvmOptions extends LiteSVMProviderOptions {
  /** A LiteSVM to start from (e.g. with a compute budget set); default `new LiteSVM()` (SPL programs included). */
  readonly svm?: LiteSVM;
  /** Programs of Anchor.toml to load, by name; default all of them; [] for none (Anchor.toml not read). */
  readonly programs?: readonly string[];
  /**
   * "deploy" (default): through BPFLoaderUpgradeable, so the ELF passes the checks of a real deploy and
   * each program has ProgramData with the payer as upgrade authority. "add": LiteSVM `addProgram`, faster,
   * without the deploy checks.
   */
  readonly load?: "deploy" | "add";
  readonly anchorToml?: string;
  readonly cluster?: string;
  readonly deployDir?: string;
}

/** The clock sysvar, as plain values. */
export interface ClockState {
  readonly slot: bigint;
  readonly epoch: bigint;
  readonly unixTimestamp: bigint;
  readonly epochStartTimestamp: bigint;
  readonly leaderScheduleEpoch: bigint;
}

/** Options of `TestSvm.send`. */
export interface TestSendOptions {
  /** Signers besides the fee payer. */
  readonly signers?: readonly Signer[];
  /** Pays the fee (default: the fixture's payer). */
  readonly feePayer?: Signer;
  /** As web3.js: execute without simulating first; a failing transaction then pays its fee. */
  readonly skipPreflight?: boolean;
}

/** Options of `TestSvm.createMint`. */
export interface CreateMintOptions extends Partial<MintSpec> {
  /** The mint's keypair (default: new). */
  readonly mint?: Keypair;
}

/** Options of `TestSvm.createTokenAccount`. */
export interface CreateTokenAccountOptions {
  readonly mint: PublicKey;
  readonly owner: PublicKey;
  /** A keypair for a plain token account; default: the owner's associated token account. */
  readonly account?: Keypair;
  /** For the associated account of a PDA owner. */
  readonly allowOwnerOffCurve?: boolean;
}

/** A LiteSVM with infergrid's programs and an Anchor provider; see the file comment. */
export class TestSvm {
  private readonly loaded: Record<string, PublicKey> = {};

  private constructor(
    readonly svm: LiteSVM,
    readonly provider: LiteSVMProvider,
  ) {}

  /** A fresh LiteSVM with the programs loaded and a funded payer. */
  static create(options: TestSvmOptions = {}): TestSvm {
    const svm = options.svm ?? new LiteSVM();
    const fixture = new TestSvm(svm, new LiteSVMProvider(svm, options));
    const declared =
      options.programs && options.programs.length === 0 ? [] : workspacePrograms(options.anchorToml, options.cluster);
    const wanted = options.programs ?? declared.map((p) => p.name);
    for (const name of wanted) {
      const program = declared.find((p) => p.name === name);
      if (!program) throw new Error(`program "${name}" is not in [programs.${options.cluster ?? "localnet"}] of Anchor.toml`);
      fixture.loadProgram(program, options);
    }
    // Deployed programs can be invoked from the next slot on.
    if (wanted.length > 0 && (options.load ?? "deploy") === "deploy") fixture.advance({ slots: 1n });
    return fixture;
  }

  /** Program ids by Anchor.toml name, for the programs loaded. */
  get programs(): Readonly<Record<string, PublicKey>> {
    return this.loaded;
  }

  private loadProgram(program: DeclaredProgram, options: TestSvmOptions): void {
    const elf = readProgramSo(program.name, options.deployDir);
    if ((options.load ?? "deploy") === "add") this.svm.addProgram(toAddress(program.programId), elf);
    else deployProgram(this.svm, elf, { payer: this.payer, program: program.programId, advanceSlot: false });
    this.loaded[program.name] = program.programId;
  }

  /** The provider's wallet keypair: pays fees and signs by default. */
  get payer(): Keypair {
    return this.provider.wallet.payer;
  }

  /** Logs, compute units, inner instructions and return data of the last transaction. */
  get lastResult(): TransactionResult | null {
    return this.provider.lastResult;
  }

  // ---- keys, lamports, accounts ----------------------------------------------------------------------

  /** A new keypair holding `amount` lamports (default 10 SOL). */
  fundedKeypair(amount: bigint = 10n * BigInt(LAMPORTS_PER_SOL)): Keypair {
    const keypair = Keypair.generate();
    this.airdrop(keypair.publicKey, amount);
    return keypair;
  }

  /** Adds lamports to an account (creating a system account if needed; then at least the rent minimum). */
  airdrop(to: PublicKey, amount: bigint): void {
    let result = this.svm.airdrop(toAddress(to), lamports(amount));
    if (result instanceof FailedTransactionMetadata && clusterTransactionError(result.err()).err === "AlreadyProcessed") {
      // LiteSVM airdrops with a transaction: the same airdrop twice under one blockhash is a duplicate.
      this.svm.expireBlockhash();
      result = this.svm.airdrop(toAddress(to), lamports(amount));
    }
    if (result instanceof FailedTransactionMetadata) {
      throw new Error(`airdrop to ${to.toBase58()} failed: ${clusterTransactionError(result.err()).message}`);
    }
  }

  /** Lamports of an account; 0 if it does not exist. */
  balance(address: PublicKey): bigint {
    return this.svm.getBalance(toAddress(address)) ?? 0n;
  }

  /** An account as web3.js returns it, or null if it does not exist. */
  account(address: PublicKey): AccountInfo<Buffer> | null {
    const account = this.svm.getAccount(toAddress(address));
    if (!account.exists) return null;
    return {
      data: Buffer.from(account.data),
      executable: account.executable,
      lamports: Number(account.lamports),
      owner: new PublicKey(account.programAddress),
    };
  }

  /** Writes an account directly, bypassing the runtime: for states no transaction can reach. */
  setAccount(address: PublicKey, account: { lamports: bigint; owner: PublicKey; data: Uint8Array; executable?: boolean }): void {
    this.svm.setAccount({
      address: toAddress(address),
      lamports: lamports(account.lamports),
      programAddress: toAddress(account.owner),
      executable: account.executable ?? false,
      data: Uint8Array.from(account.data),
      space: BigInt(account.data.length),
    });
  }

  // ---- time ------------------------------------------------------------------------------------------

  clock(): ClockState {
    const c = this.svm.getClock();
    return {
      slot: c.slot,
      epoch: c.epoch,
      unixTimestamp: c.unixTimestamp,
      epochStartTimestamp: c.epochStartTimestamp,
      leaderScheduleEpoch: c.leaderScheduleEpoch,
    };
  }

  /** Sets the slot and/or the unix timestamp of the clock sysvar (each independently). */
  warp(to: { slot?: bigint; unixTimestamp?: bigint }): void {
    if (to.slot !== undefined) this.svm.warpToSlot(to.slot);
    if (to.unixTimestamp !== undefined) {
      const clock = this.svm.getClock();
      clock.unixTimestamp = to.unixTimestamp;
      this.svm.setClock(clock);
    }
  }

  /** Moves the clock forward by slots and/or seconds (independently: slots do not imply time). */
  advance(by: { slots?: bigint; seconds?: bigint }): void {
    const now = this.clock();
    this.warp({
      slot: by.slots !== undefined ? now.slot + by.slots : undefined,
      unixTimestamp: by.seconds !== undefined ? now.unixTimestamp + by.seconds : undefined,
    });
  }

  /** Gives LiteSVM a new blockhash: transactions signed with the old one fail with BlockhashNotFound. */
  expireBlockhash(): void {
    this.svm.expireBlockhash();
  }

  // ---- transactions ----------------------------------------------------------------------------------

  /**
   * Signs (fee payer, then `signers`) and sends a transaction; resolves to its result, or throws what a
   * cluster throws (`SendTransactionError` with logs). A `Transaction` given is re-signed.
   */
  async send(
    instructions: TransactionInstruction | readonly TransactionInstruction[] | Transaction,
    options: TestSendOptions = {},
  ): Promise<TransactionResult> {
    const feePayer = options.feePayer ?? this.payer;
    const tx =
      instructions instanceof Transaction
        ? instructions
        : new Transaction().add(...(Array.isArray(instructions) ? instructions : [instructions as TransactionInstruction]));
    tx.feePayer = feePayer.publicKey;
    tx.recentBlockhash = this.svm.latestBlockhash();
    tx.sign(feePayer, ...(options.signers ?? []));
    this.provider.sendSigned(tx, { skipPreflight: options.skipPreflight });
    return this.provider.lastResult as TransactionResult;
  }

  // ---- SPL tokens ------------------------------------------------------------------------------------

  /**
   * Creates a mint: Token by default, Token-2022 when `programId` says so or extensions are given.
   * Defaults: 6 decimals, the payer as mint authority, no freeze authority (the payer if the
   * defaultAccountState extension needs one).
   */
  async createMint(options: CreateMintOptions = {}): Promise<PublicKey> {
    const mint = options.mint ?? Keypair.generate();
    const needsFreezeAuthority = options.extensions?.some((e) => e.type === "defaultAccountState") ?? false;
    const spec: MintSpec = {
      decimals: options.decimals ?? 6,
      mintAuthority: options.mintAuthority ?? this.payer.publicKey,
      freezeAuthority: options.freezeAuthority ?? (needsFreezeAuthority ? this.payer.publicKey : null),
      extensions: options.extensions,
      programId: options.programId,
    };
    const rent = this.svm.minimumBalanceForRentExemption(BigInt(mintSpace(spec)));
    await this.send(createMintInstructions(this.payer.publicKey, mint.publicKey, spec, Number(rent)), { signers: [mint] });
    return mint.publicKey;
  }

  /** Creates a token account for `mint` (associated by default) under the mint's token program. */
  async createTokenAccount(options: CreateTokenAccountOptions): Promise<PublicKey> {
    const mint = this.mint(options.mint);
    const programId = this.tokenProgramOf(options.mint);
    if (!options.account) {
      const ata = associatedTokenAccount(this.payer.publicKey, options.mint, options.owner, programId, options.allowOwnerOffCurve);
      await this.send(ata.instruction);
      return ata.address;
    }
    const rent = this.svm.minimumBalanceForRentExemption(BigInt(tokenAccountSpace(mint)));
    const ixs = createTokenAccountInstructions(this.payer.publicKey, options.account.publicKey, mint, options.owner, programId, Number(rent));
    await this.send(ixs, { signers: [options.account] });
    return options.account.publicKey;
  }

  /** Mints `amount` base units to a token account; the authority defaults to the payer. */
  async mintTo(mint: PublicKey, destination: PublicKey, amount: bigint, authority: Signer = this.payer): Promise<void> {
    const programId = this.tokenProgramOf(mint);
    const signers = authority.publicKey.equals(this.payer.publicKey) ? [] : [authority];
    await this.send(createMintToInstruction(mint, destination, authority.publicKey, amount, [], programId), { signers });
  }

  /** The token program (Token or Token-2022) owning a mint or token account. */
  tokenProgramOf(address: PublicKey): PublicKey {
    const owner = this.account(address)?.owner;
    if (!owner || !(owner.equals(TOKEN_PROGRAM_ID) || owner.equals(TOKEN_2022_PROGRAM_ID))) {
      throw new Error(`${address.toBase58()} is not a token program account`);
    }
    return owner;
  }

  /** A mint's state (extensions in `tlvData`; read them with spl-token's getTransferFeeConfig etc.). */
  mint(address: PublicKey): Mint {
    return unpackMint(address, this.account(address), this.tokenProgramOf(address));
  }

  /** A token account's state. */
  tokenAccount(address: PublicKey): TokenAccount {
    return unpackAccount(address, this.account(address), this.tokenProgramOf(address));
  }
}
