// A LiteSVM with the escrow program deployed through the upgradeable loader, its config initialized,
// and the parties of a typical escrow funded. Each test builds its own (a fresh chain per test).
//
// Failing transactions are executed, not just simulated (`skipPreflight`): they land and pay their fee like
// on a cluster, so "a failed instruction changes nothing" is the runtime's rollback, observed.
import { Keypair, LAMPORTS_PER_SOL, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { type MintExtension, TestSvm, type TransactionResult } from "../harness/index.js";
import {
  EscrowClient,
  escrowClient,
  type Funding,
  type Payee,
  SOL,
  SOL_MINT,
  toBigInt,
} from "../../ts-client/src/index.js";

export interface EscrowFixture {
  readonly t: TestSvm;
  readonly escrow: EscrowClient;
  readonly admin: Keypair;
  readonly treasury: Keypair;
  readonly arbiter: Keypair;
  readonly client: Keypair;
  readonly provider: Keypair;
  readonly meter: Keypair;
  readonly suppliers: Keypair[];
  /** Someone with no role anywhere: the attacker of the failure tests. */
  readonly stranger: Keypair;
}

export const FEE_BPS = 250;
export const HOUR = 3600n;
export const DAY = 24n * HOUR;
/** Tokens minted to the client of a token currency (base units). */
export const CLIENT_TOKENS = 1_000_000_000_000_000n;
export const U64_MAX = (1n << 64n) - 1n;

/** Fresh chain; `initialize` false leaves the config uncreated. */
export async function escrowFixture(options: { initialize?: boolean; suppliers?: number } = {}): Promise<EscrowFixture> {
  const t = TestSvm.create({ programs: ["escrow"], opts: { skipPreflight: true } });
  t.warp({ unixTimestamp: 1_800_000_000n });
  const escrow = escrowClient(t.provider, t.programs.escrow);
  const admin = t.payer; // the fixture's payer is the upgrade authority of the deployed program
  const treasury = t.fundedKeypair();
  const arbiter = t.fundedKeypair();
  const client = t.fundedKeypair(1_000n * BigInt(LAMPORTS_PER_SOL));
  const provider = t.fundedKeypair();
  const meter = t.fundedKeypair();
  const suppliers = Array.from({ length: options.suppliers ?? 2 }, () => t.fundedKeypair());
  const stranger = t.fundedKeypair();
  if (options.initialize ?? true) {
    await escrow.initializeConfig({ admin, treasury: treasury.publicKey, arbiter: arbiter.publicKey, feeBps: FEE_BPS });
    await escrow.openEarnings({ owner: treasury.publicKey });
    for (const s of suppliers) await escrow.openEarnings({ owner: s.publicKey });
  }
  return { t, escrow, admin, treasury, arbiter, client, provider, meter, suppliers, stranger };
}

/** Equal shares between the fixture's suppliers. */
export function payeesOf(f: EscrowFixture): Payee[] {
  const n = f.suppliers.length;
  const base = Math.floor(10_000 / n);
  return f.suppliers.map((s, i) => ({ owner: s.publicKey, shareBps: base + (i === 0 ? 10_000 - base * n : 0) }));
}

// ---- currencies ------------------------------------------------------------------------------------------

/** What an escrow is funded with in a test. */
export type FundingKind = "sol" | "token" | "token-2022";
export const FUNDING_KINDS: readonly FundingKind[] = ["sol", "token", "token-2022"];

/** An escrow currency and where each party holds it. */
export interface Currency {
  readonly kind: FundingKind;
  readonly funding: Funding;
  /** The mint of escrows and earnings in it: zero for SOL. */
  readonly mint: PublicKey;
  /** The client's token account paying deposits (tokens only). */
  readonly clientToken?: PublicKey;
  /** Where `owner` receives this currency: its wallet for SOL, its associated token account otherwise. */
  wallet(owner: PublicKey): PublicKey;
  /** What `owner` holds at `wallet(owner)` (0 when that account does not exist). */
  balance(owner: PublicKey): bigint;
  /** What the program's vault holds (tokens; 0 for SOL). */
  vaultBalance(): bigint;
}

/**
 * Sets up a currency on the fixture: for tokens a mint (Token or Token-2022), its vault, token accounts for
 * every party, `CLIENT_TOKENS` for the client, and earnings accounts of the treasury and suppliers in it.
 */
export async function currency(f: EscrowFixture, kind: FundingKind, extensions?: readonly MintExtension[]): Promise<Currency> {
  if (kind === "sol") {
    return {
      kind,
      funding: SOL,
      mint: SOL_MINT,
      wallet: (owner) => owner,
      balance: (owner) => f.t.balance(owner),
      vaultBalance: () => 0n,
    };
  }
  const tokenProgram = kind === "token" ? TOKEN_PROGRAM_ID : TOKEN_2022_PROGRAM_ID;
  const mint = await f.t.createMint({ programId: tokenProgram, extensions });
  await f.escrow.createMintVault({ mint, tokenProgram });
  const parties = [f.client, f.treasury, f.provider, f.meter, f.stranger, f.arbiter, ...f.suppliers];
  const accounts = new Map<string, PublicKey>();
  for (const p of parties) accounts.set(p.publicKey.toBase58(), await f.t.createTokenAccount({ mint, owner: p.publicKey }));
  const clientToken = accounts.get(f.client.publicKey.toBase58())!;
  await f.t.mintTo(mint, clientToken, CLIENT_TOKENS);
  await f.escrow.openEarnings({ owner: f.treasury.publicKey, mint });
  for (const s of f.suppliers) await f.escrow.openEarnings({ owner: s.publicKey, mint });
  const vault = f.escrow.vault(mint);
  const amountOf = (account: PublicKey) => (f.t.account(account) ? f.t.tokenAccount(account).amount : 0n);
  return {
    kind,
    funding: { kind: "token", mint, tokenProgram },
    mint,
    clientToken,
    wallet: (owner) => {
      const account = accounts.get(owner.toBase58());
      if (!account) throw new Error(`no token account for ${owner.toBase58()}: not a party of the fixture`);
      return account;
    },
    balance: (owner) => {
      const account = accounts.get(owner.toBase58());
      return account ? amountOf(account) : 0n;
    },
    vaultBalance: () => amountOf(vault),
  };
}

// ---- escrows ---------------------------------------------------------------------------------------------

export interface OpenOverrides {
  readonly deposit?: bigint;
  /** Default SOL. */
  readonly currency?: Currency;
  readonly funding?: Funding;
  readonly clientToken?: PublicKey;
  readonly expiresIn?: bigint;
  readonly window?: bigint;
  readonly maxPrice?: bigint;
  readonly payees?: readonly Payee[];
  readonly programMeter?: PublicKey;
  readonly escrow?: Keypair;
}

/** Opens an escrow from the fixture's client with sensible terms; returns its address. */
export async function openEscrow(f: EscrowFixture, overrides: OpenOverrides = {}): Promise<PublicKey> {
  const now = f.t.clock().unixTimestamp;
  const { escrow } = await f.escrow.openEscrow({
    client: f.client,
    escrow: overrides.escrow ?? Keypair.generate(),
    provider: f.provider.publicKey,
    providerMeter: f.meter.publicKey,
    programMeter: overrides.programMeter,
    payees: overrides.payees ?? payeesOf(f),
    maxPricePerUnit: overrides.maxPrice ?? 1_000_000n,
    expiresAt: now + (overrides.expiresIn ?? 30n * DAY),
    challengeWindow: overrides.window ?? HOUR,
    deposit: overrides.deposit ?? 5n * BigInt(LAMPORTS_PER_SOL),
    funding: overrides.currency?.funding ?? overrides.funding ?? SOL,
    clientToken: overrides.currency?.clientToken ?? overrides.clientToken,
  });
  return escrow;
}

/** A 32-byte usage reference (an inference record's hash in production). */
export function usageRef(n = 0): Uint8Array {
  const ref = new Uint8Array(32);
  new DataView(ref.buffer).setUint32(0, n, true);
  return ref;
}

/** Charges `amount` for `units` with the fixture's meter. */
export async function charge(f: EscrowFixture, escrow: PublicKey, amount: bigint, units = 1n): Promise<void> {
  await f.escrow.charge({ meter: f.meter, escrow, units, amount, usageRef: usageRef() });
}

/** The challenge-window index of the current time for an escrow's window length. */
export function currentWindow(f: EscrowFixture, window = HOUR): bigint {
  return f.t.clock().unixTimestamp / window;
}

/** Moves the clock to `unixTimestamp` (only forward in these tests). */
export function warpTo(f: EscrowFixture, unixTimestamp: bigint): void {
  f.t.warp({ unixTimestamp });
}

/** Rent-exempt minimum of an escrow account. */
export function escrowRent(f: EscrowFixture): bigint {
  return f.t.svm.minimumBalanceForRentExemption(BigInt(f.escrow.program.account.escrow.size));
}

/** Rent-exempt minimum of an earnings account. */
export function earningsRent(f: EscrowFixture): bigint {
  return f.t.svm.minimumBalanceForRentExemption(BigInt(f.escrow.program.account.earnings.size));
}

// ---- reading state ---------------------------------------------------------------------------------------

export interface BucketBooks {
  readonly window: bigint;
  readonly amount: bigint;
  readonly disputed: bigint;
  readonly units: bigint;
  readonly charges: number;
  readonly usageChain: Buffer;
}

/** An escrow's amounts as bigints, with the derived available balance. */
export interface EscrowBooks {
  readonly client: PublicKey;
  readonly mint: PublicKey;
  readonly feeBps: number;
  readonly openedAt: bigint;
  readonly expiresAt: bigint;
  readonly challengeWindow: bigint;
  readonly closingAt: bigint;
  readonly deposited: bigint;
  readonly settled: bigint;
  readonly fees: bigint;
  readonly refunded: bigint;
  readonly pending: bigint;
  readonly matured: bigint;
  readonly chargeCount: bigint;
  readonly available: bigint;
  /** Buckets in use (a free slot is all zero). */
  readonly buckets: readonly BucketBooks[];
}

/** Decodes an escrow account's data. */
export function decodeEscrow(client: EscrowClient, data: Buffer): EscrowBooks {
  const e = client.program.coder.accounts.decode("escrow", data);
  const n = (v: unknown) => toBigInt(v);
  const deposited = n(e.deposited);
  const out = n(e.settled) + n(e.fees) + n(e.refunded) + n(e.pending) + n(e.matured);
  return {
    client: e.client,
    mint: e.mint,
    feeBps: e.feeBps,
    openedAt: n(e.openedAt),
    expiresAt: n(e.expiresAt),
    challengeWindow: n(e.challengeWindow),
    closingAt: n(e.closingAt),
    deposited,
    settled: n(e.settled),
    fees: n(e.fees),
    refunded: n(e.refunded),
    pending: n(e.pending),
    matured: n(e.matured),
    chargeCount: n(e.chargeCount),
    available: deposited - out,
    buckets: (e.buckets as Record<string, unknown>[])
      .map((b) => ({
        window: n(b.window),
        amount: n(b.amount),
        disputed: n(b.disputed),
        units: n(b.units),
        charges: b.charges as number,
        usageChain: Buffer.from(b.usageChain as number[]),
      }))
      .filter((b) => b.charges > 0 || b.amount > 0n),
  };
}

/** The escrow's books; throws if the account does not exist. */
export function books(f: EscrowFixture, escrow: PublicKey): EscrowBooks {
  const account = f.t.account(escrow);
  if (!account) throw new Error(`no escrow at ${escrow.toBase58()}`);
  return decodeEscrow(f.escrow, account.data);
}

export interface EarningsBooks {
  readonly owner: PublicKey;
  readonly mint: PublicKey;
  readonly balance: bigint;
  readonly totalEarned: bigint;
  readonly totalWithdrawn: bigint;
  readonly lamports: bigint;
}

/** An earnings account's books, or null when it does not exist. */
export function earnings(f: EscrowFixture, owner: PublicKey, mint: PublicKey = SOL_MINT): EarningsBooks | null {
  const address = f.escrow.earnings(owner, mint);
  const account = f.t.account(address);
  if (!account) return null;
  const e = f.escrow.program.coder.accounts.decode("earnings", account.data);
  return {
    owner: e.owner,
    mint: e.mint,
    balance: toBigInt(e.balance),
    totalEarned: toBigInt(e.totalEarned),
    totalWithdrawn: toBigInt(e.totalWithdrawn),
    lamports: BigInt(account.lamports),
  };
}

// ---- raw transactions ------------------------------------------------------------------------------------

/**
 * Sends crafted instructions as a landed transaction (fee payer: the fixture's payer unless given; the fee
 * payer always signs) and returns its result; throws what a cluster throws when it fails.
 */
export async function sendRaw(
  f: EscrowFixture,
  instructions: TransactionInstruction | readonly TransactionInstruction[],
  signers: readonly Keypair[] = [],
  feePayer: Keypair = f.t.payer,
): Promise<TransactionResult> {
  const unique = signers.filter((s, i) => !s.publicKey.equals(feePayer.publicKey) && signers.indexOf(s) === i);
  return f.t.send(instructions, { signers: unique, skipPreflight: true, feePayer });
}

/** A copy of `ix` with the account at `index` changed (key and/or flags): the attacker's edit. */
export function tamper(
  ix: TransactionInstruction,
  index: number,
  change: { pubkey?: PublicKey; isSigner?: boolean; isWritable?: boolean },
): TransactionInstruction {
  const keys = ix.keys.map((k, i) => (i === index ? { ...k, ...change } : { ...k }));
  return new TransactionInstruction({ programId: ix.programId, keys, data: Buffer.from(ix.data) });
}

/** Index of the account named `name` in an instruction built by the client (from the IDL's order). */
export function accountIndex(f: EscrowFixture, instruction: string, name: string): number {
  const ix = f.escrow.program.rawIdl.instructions.find((i) => i.name === instruction);
  if (!ix) throw new Error(`no instruction ${instruction}`);
  const index = ix.accounts.findIndex((a) => a.name === name);
  if (index < 0) throw new Error(`no account ${name} in ${instruction}`);
  return index;
}

/** A funded keypair that is a new party of the test. */
export function newParty(f: EscrowFixture, sol = 10n): Keypair {
  return f.t.fundedKeypair(sol * BigInt(LAMPORTS_PER_SOL));
}

