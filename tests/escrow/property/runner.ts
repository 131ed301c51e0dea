// Seeded random operation sequences against the escrow program in one shared LiteSVM, each checked step by
// step against the reference model (model.ts) and against conservation laws read from the chain alone:
//
// - every escrow: deposited = settled + fees + refunded + pending + matured + available, with available >= 0,
//   pending = the sum of its buckets, and a SOL escrow's lamports = rent + what it holds;
// - every token vault: its balance = what the token escrows of its mint hold + the earnings balances in it;
// - every earnings account: balance = earned - withdrawn (and, for SOL, lamports = rent + balance); the
//   earnings were credited exactly what the escrows settled plus their fees: nothing counted twice;
// - every wallet: only the client gets unspent funds back, only a payee (or the treasury) takes its earnings,
//   and nobody else gains anything;
// - every success logs its event with the new totals and no AnchorError; every failure exactly one AnchorError,
//   naming a rule the model says the operation breaks, and changes nothing.
//
// Each sequence has its own escrows, its own stretch of time and its own random stream; its parties come from a
// pool derived from the run's seed, and it withdraws only what it credited. So a failing sequence replays alone:
// `npm run soak:escrow -- --seed <run seed> --first <index> --sequences 1`.
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import anchor from "@coral-xyz/anchor";
import { Keypair, PublicKey, type TransactionInstruction } from "@solana/web3.js";
import {
  createAssociatedTokenAccountIdempotentInstruction,
  createMintToInstruction,
  getAssociatedTokenAddressSync,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
} from "@solana/spl-token";
import { TestSvm } from "../../harness/index.js";
import { EscrowClient, escrowProgram, type Funding, SOL, SOL_MINT, toBigInt } from "../../../ts-client/src/index.js";
import escrowIdl from "../../../ts-client/src/generated/escrow.json" with { type: "json" };
import {
  type Books,
  earningsKey,
  type EscrowModel,
  type EscrowTerms,
  type MintKey,
  type ModelPayee,
  type Prediction,
  predictApprove,
  predictCharge,
  predictClose,
  predictDispute,
  predictFund,
  predictOpen,
  predictRefund,
  predictRequestClose,
  predictResolve,
  predictSettle,
  predictUpdateConfig,
  predictWithdraw,
  splitSettlement,
  U64_MAX,
  walletKey,
} from "./model.js";
import { Rng, sequenceSeed } from "./random.js";
import { customCodeOf, FastSender, type RawAccount, type SentTransaction } from "./sender.js";

/** Each sequence runs in its own stretch of time: [START + i * SPAN, START + (i + 1) * SPAN). */
const START = 1_800_000_000n;
const SPAN = 10_000_000n;
/** What the pool's clients start with (tokens of each mint, lamports), and its payees (lamports). */
const CLIENT_TOKENS = 1_000_000_000_000_000n;
const CLIENT_LAMPORTS = 100_000_000_000_000n;
const PARTY_LAMPORTS = 1_000_000_000n;

const ERROR_NAMES = new Map<number, string>([
  ...Object.entries(anchor.LangErrorCode as unknown as Record<string, number>).map(([name, code]) => [code, name] as [number, string]),
  ...escrowIdl.errors.map((e) => [e.code, e.name] as [number, string]),
]);

/** Events a success must log, by operation. */
const EVENT_OF: Record<string, string> = {
  open: "escrowOpened",
  fund: "escrowFunded",
  charge: "chargeRecorded",
  approve: "chargesApproved",
  dispute: "chargesDisputed",
  resolve: "disputeResolved",
  settle: "escrowSettled",
  withdraw: "earningsWithdrawn",
  requestClose: "closeRequested",
  refund: "escrowRefunded",
  close: "escrowClosed",
  config: "configUpdated",
};

/**
 * The escrow client with its PDAs memoized: deriving one costs about a millisecond in JavaScript (curve checks),
 * more than executing a transaction in LiteSVM.
 */
class MemoEscrowClient extends EscrowClient {
  private readonly memo = new Map<string, PublicKey>();

  private cached(key: string, derive: () => PublicKey): PublicKey {
    let address = this.memo.get(key);
    if (!address) {
      address = derive();
      this.memo.set(key, address);
    }
    return address;
  }

  override config(): PublicKey {
    return this.cached("config", () => super.config());
  }
  override earnings(owner: PublicKey, mint: PublicKey = SOL_MINT): PublicKey {
    return this.cached(`earnings:${owner.toBase58()}:${mint.toBase58()}`, () => super.earnings(owner, mint));
  }
  override mintVault(mint: PublicKey): PublicKey {
    return this.cached(`mint_vault:${mint.toBase58()}`, () => super.mintVault(mint));
  }
  override vault(mint: PublicKey): PublicKey {
    return this.cached(`vault:${mint.toBase58()}`, () => super.vault(mint));
  }
}

/** An address in both forms the reads need. */
interface Address {
  readonly pub: PublicKey;
  readonly key: string;
  readonly bytes: Uint8Array;
}

function address(pub: PublicKey): Address {
  return { pub, key: pub.toBase58(), bytes: pub.toBytes() };
}

function read(world: World, at: Address): RawAccount | null {
  return world.sender.account(at.bytes, at.key);
}

interface TokenMint {
  readonly kind: "token" | "token-2022";
  readonly mint: PublicKey;
  /** The mint, base58. */
  readonly key: MintKey;
  readonly vault: Address;
  readonly tokenProgram: PublicKey;
  readonly funding: Funding;
}

interface Pool {
  readonly clients: readonly Party[];
  readonly meters: readonly Party[];
  readonly payees: readonly Party[];
  readonly treasury: Party;
}

/** The shared chain: the program, its config, two token mints with their vaults, an arbiter and a stranger. */
export interface World {
  readonly t: TestSvm;
  readonly escrow: MemoEscrowClient;
  readonly sender: FastSender;
  readonly books: Books;
  readonly admin: Keypair;
  readonly arbiter: Keypair;
  /** Holds SOL and both tokens and tries everything it has no right to. */
  readonly stranger: Party;
  readonly mints: readonly TokenMint[];
  /** Parties the sequences draw from (keys derived from the run's seed, so a replay meets the same ones). */
  readonly pool: Pool;
  readonly earningsRent: bigint;
}

/** How often each operation succeeded, and failed with each error: `${op} -> ${outcome}`. */
export type Outcomes = Map<string, number>;

export async function createWorld(master: bigint): Promise<World> {
  const t = TestSvm.create({ programs: ["escrow"], opts: { skipPreflight: true } });
  t.warp({ unixTimestamp: START });
  const escrow = new MemoEscrowClient(escrowProgram(t.provider, t.programs.escrow));
  const admin = t.payer;
  const arbiter = Keypair.generate();
  const stranger = t.fundedKeypair();
  await escrow.initializeConfig({ admin, treasury: admin.publicKey, arbiter: arbiter.publicKey, feeBps: 0 });
  const mints: TokenMint[] = [];
  for (const [kind, tokenProgram] of [["token", TOKEN_PROGRAM_ID], ["token-2022", TOKEN_2022_PROGRAM_ID]] as const) {
    // the Token-2022 mint carries the extensions the escrow accepts
    const extensions =
      kind === "token-2022"
        ? [{ type: "interestBearing" as const, rateBasisPoints: 300, rateAuthority: admin.publicKey }]
        : undefined;
    const mint = await t.createMint({ programId: tokenProgram, extensions });
    await escrow.createMintVault({ mint, tokenProgram });
    await t.createTokenAccount({ mint, owner: stranger.publicKey });
    mints.push({ kind, mint, key: mint.toBase58(), vault: address(escrow.vault(mint)), tokenProgram, funding: { kind: "token", mint, tokenProgram } });
  }
  const books: Books = {
    config: { feeBps: 0, paused: false, treasury: admin.publicKey.toBase58(), arbiter: arbiter.publicKey.toBase58() },
    earnings: new Map(),
    wallets: new Map(),
    vaults: new Map(mints.map((m) => [m.mint.toBase58(), 0n])),
    paidOut: new Map(),
    escrowRent: t.svm.minimumBalanceForRentExemption(BigInt(escrow.program.account.escrow.size)),
  };
  const sender = new FastSender(t.svm, t.payer);
  const rng = new Rng(master ^ 0x5eedn);
  const key = () => party(keypairFromSeed(sender, rng.bytes(32)));
  const world: World = {
    t,
    escrow,
    sender,
    books,
    admin,
    arbiter,
    stranger: party(stranger),
    mints,
    pool: {
      clients: Array.from({ length: 6 }, key),
      meters: Array.from({ length: 6 }, key),
      payees: Array.from({ length: 10 }, key),
      treasury: key(),
    },
    earningsRent: t.svm.minimumBalanceForRentExemption(BigInt(escrow.program.account.earnings.size)),
  };
  await setUpPool(world);
  for (const mint of ["sol", ...mints.map((m) => m.mint.toBase58())]) trackWallet(world, world.stranger, mint);
  return world;
}

/** Lamports, token accounts, client tokens and earnings accounts (every mint) for the pool's parties. */
async function setUpPool(world: World): Promise<void> {
  const { t, escrow, pool } = world;
  const earners = [pool.treasury, ...pool.payees];
  const mints: MintKey[] = ["sol", ...world.mints.map((m) => m.mint.toBase58())];
  for (const p of pool.clients) t.airdrop(p.pub, CLIENT_LAMPORTS);
  for (const p of earners) t.airdrop(p.pub, PARTY_LAMPORTS);
  const setup: TransactionInstruction[] = [];
  for (const mint of mints) {
    const token = mintOf(world, mint);
    if (token) {
      for (const p of [...pool.clients, ...earners]) {
        setup.push(createAssociatedTokenAccountIdempotentInstruction(t.payer.publicKey, wallet(world, p, mint).pub, p.pub, token.mint, token.tokenProgram));
      }
      for (const p of pool.clients) setup.push(createMintToInstruction(token.mint, wallet(world, p, mint).pub, t.payer.publicKey, CLIENT_TOKENS, [], token.tokenProgram));
    }
    for (const p of earners) {
      setup.push(await escrow.openEarningsIx({ owner: p.pub, mint: token?.mint ?? SOL_MINT }));
      world.books.earnings.set(earningsKey(p.key, mint), { balance: 0n, totalEarned: 0n, totalWithdrawn: 0n });
    }
  }
  sendSetup(world, setup, []);
  for (const p of [...pool.clients, ...earners]) for (const mint of mints) trackWallet(world, p, mint);
}

// ---- one sequence ---------------------------------------------------------------------------------------------

/** A party of one sequence. */
interface Party extends Address {
  readonly keypair: Keypair;
}

/** One escrow of a sequence: its model (null until opened), keypair, currency and parties. */
interface Slot {
  model: EscrowModel | null;
  readonly escrow: Party;
  readonly mint: MintKey;
  readonly funding: Funding;
  readonly payees: readonly ModelPayee[];
  readonly payeeParties: readonly Party[];
  readonly programMeter: Party | null;
  readonly window: bigint;
}

interface Sequence {
  readonly world: World;
  readonly rng: Rng;
  readonly index: number;
  readonly client: Party;
  readonly meter: Party;
  readonly treasury: Party;
  readonly slots: Slot[];
  readonly mintsUsed: readonly MintKey[];
  /** The treasury and the payees: whose earnings are opened and checked. */
  readonly earners: readonly Party[];
  /** Parties whose wallets are checked. */
  readonly watched: readonly Party[];
  /**
   * Earnings credited in this sequence and not withdrawn yet, by `${owner}:${mint}`: withdrawals choose their
   * amounts from these, so a sequence does the same alone as after others (which leave earnings behind).
   */
  readonly available: Map<string, bigint>;
  readonly log: string[];
  readonly outcomes: Outcomes;
  step: number;
}

function party(keypair: Keypair): Party {
  return { keypair, ...address(keypair.publicKey) };
}

/**
 * A new random keypair from node:crypto, its signer registered with the sender (escrow addresses: nothing
 * depends on their value, and importing a seed costs ten times as much).
 */
function freshKeypair(sender: FastSender): Keypair {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const seed = privateKey.export({ format: "der", type: "pkcs8" }).subarray(-32);
  const pub = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const keypair = Keypair.fromSecretKey(Buffer.concat([seed, pub]), { skipValidation: true });
  sender.register(keypair, (message) => sign(null, message, privateKey));
  return keypair;
}

/** The keypair of a 32-byte seed (as `Keypair.fromSeed`, through node:crypto), its signer registered. */
function keypairFromSeed(sender: FastSender, seed: Uint8Array): Keypair {
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const pub = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(-32);
  const keypair = Keypair.fromSecretKey(Buffer.concat([seed, pub]), { skipValidation: true });
  sender.register(keypair, (message) => sign(null, message, privateKey));
  return keypair;
}

const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function mintOf(world: World, mint: MintKey): TokenMint | undefined {
  return mint === "sol" ? undefined : world.mints.find((m) => m.key === mint);
}

/** Addresses by `${owner}:${mint}`: deriving a PDA costs more than a transaction. */
const walletAddresses = new Map<string, Address>();
const earningsAddresses = new Map<string, Address>();

function memo(cache: Map<string, Address>, key: string, derive: () => PublicKey): Address {
  let found = cache.get(key);
  if (!found) {
    found = address(derive());
    cache.set(key, found);
  }
  return found;
}

/** Where `owner` holds `mint`: its wallet for SOL, its associated token account otherwise. */
function wallet(world: World, owner: Party, mint: MintKey): Address {
  const token = mintOf(world, mint);
  if (!token) return owner;
  return memo(walletAddresses, `${owner.key}:${mint}`, () => getAssociatedTokenAddressSync(token.mint, owner.pub, true, token.tokenProgram));
}

/** The earnings PDA of `owner` in `mint`. */
function earningsAddress(world: World, owner: Party, mint: MintKey): Address {
  return memo(earningsAddresses, `${owner.key}:${mint}`, () => world.escrow.earnings(owner.pub, mintOf(world, mint)?.mint ?? SOL_MINT));
}

function chainWallet(world: World, owner: Party, mint: MintKey): bigint {
  const account = read(world, wallet(world, owner, mint));
  if (!account) return 0n;
  return mint === "sol" ? account.lamports : account.data.readBigUInt64LE(64);
}

function trackWallet(world: World, owner: Party, mint: MintKey): void {
  world.books.wallets.set(walletKey(owner.key, mint), chainWallet(world, owner, mint));
}

function send(seq: Sequence, instructions: TransactionInstruction[], signers: Keypair[]): SentTransaction {
  return seq.world.sender.send(instructions, signers);
}

/** Sends setup instructions in as few transactions as fit. */
function sendSetup(world: World, instructions: TransactionInstruction[], signers: Keypair[]): void {
  for (let i = 0; i < instructions.length; i += 4) world.sender.sendOk(instructions.slice(i, i + 4), signers);
}

async function startSequence(world: World, master: bigint, index: number, outcomes: Outcomes): Promise<Sequence> {
  const rng = new Rng(sequenceSeed(master, index));
  const { t, pool } = world;
  t.warp({ unixTimestamp: START + BigInt(index) * SPAN + BigInt(rng.int(100_000)) });
  const client = rng.pick(pool.clients);
  const meter = rng.pick(pool.meters);
  const treasury = pool.treasury;
  const slots: Slot[] = [];
  const escrowCount = rng.chance(0.3) ? 2 : 1;
  for (let s = 0; s < escrowCount; s++) {
    const currency = rng.pick(["sol", ...world.mints.map((m) => m.mint.toBase58())]);
    const count = rng.weighted([[1, 3], [2, 3], [3, 2], [4, 2]] as const);
    const chosen = shuffle(rng, pool.payees).slice(0, count);
    if (rng.chance(0.1)) chosen[0] = treasury; // the treasury may also be a payee
    const unique = [...new Map(chosen.map((p) => [p.key, p])).values()].sort((a, b) => Buffer.compare(a.pub.toBuffer(), b.pub.toBuffer()));
    const shares = randomShares(rng, unique.length);
    slots.push({
      model: null,
      escrow: party(freshKeypair(world.sender)),
      mint: currency,
      funding: mintOf(world, currency)?.funding ?? SOL,
      payees: unique.map((p, i) => ({ owner: p.key, ownerBytes: p.pub.toBuffer(), shareBps: shares[i] })),
      payeeParties: unique,
      programMeter: rng.chance(0.4) ? rng.pick(pool.meters.filter((m) => m !== meter)) : null,
      window: rng.weighted([[60n, 2], [61n, 1], [97n, 1], [600n, 2], [3_600n, 2], [BigInt(rng.range(60, 7_200)), 2]] as const),
    });
  }
  const mintsUsed = [...new Set(slots.map((s) => s.mint))];
  const earners = [...new Set([treasury, ...slots.flatMap((s) => s.payeeParties)])];
  const seq: Sequence = {
    world,
    rng,
    index,
    client,
    meter,
    treasury,
    slots,
    mintsUsed,
    earners,
    watched: [client, ...earners],
    available: new Map(),
    log: [],
    outcomes,
    step: 0,
  };
  // this sequence's fee; not paused
  const feeBps = rng.weighted([[0, 1], [1, 1], [250, 2], [999, 1], [1_000, 1], [rng.range(0, 1_000), 3]] as const);
  await configure(seq, feeBps, false, treasury.pub);
  return seq;
}

function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function randomShares(rng: Rng, n: number): number[] {
  if (n === 1) return [10_000];
  const cuts = Array.from({ length: n - 1 }, () => rng.range(1, 9_999)).sort((a, b) => a - b);
  const shares = [...cuts, 10_000].map((c, i, all) => c - (i === 0 ? 0 : all[i - 1]));
  // equal cuts give zero shares: move a basis point from the largest share
  for (let i = 0; i < shares.length; i++) {
    if (shares[i] === 0) {
      const largest = shares.indexOf(Math.max(...shares));
      shares[largest] -= 1;
      shares[i] += 1;
    }
  }
  return shares;
}

// ---- executing and checking -------------------------------------------------------------------------------------

class SequenceFailure extends Error {}

function fail(seq: Sequence, message: string, result?: SentTransaction): never {
  const logs = result ? `\nlogs:\n  ${result.logs.join("\n  ")}` : "";
  throw new SequenceFailure(`step ${seq.step}: ${message}\nsteps:\n  ${seq.log.join("\n  ")}${logs}`);
}

/** The escrow or framework error a failed transaction returned, by name. */
function errorName(seq: Sequence, result: SentTransaction): string {
  const found = customCodeOf(result);
  if (!found) return `non-custom error ${JSON.stringify(result.err)}`;
  if (found.programId !== seq.world.escrow.programId.toBase58()) return `error ${found.code} of program ${found.programId}`;
  return ERROR_NAMES.get(found.code) ?? `unknown code ${found.code}`;
}

/** Executes an operation the model predicted, checks the outcome and, on success, applies the prediction. */
function execute(seq: Sequence, op: string, prediction: Prediction, instructions: TransactionInstruction[], signers: Keypair[]): boolean {
  seq.step++;
  const kind = op.split(" ")[0];
  const result = send(seq, instructions, signers);
  const anchorLines = result.logs.filter((l) => l.includes("AnchorError"));
  const expected = prediction.errors.length === 0 ? "ok" : prediction.errors.join(" | ");
  if (result.err === null) {
    seq.log.push(`${op} -> ok`);
    if (prediction.errors.length > 0) fail(seq, `${op} succeeded, the model expected ${expected}`, result);
    if (anchorLines.length > 0) fail(seq, `${op} succeeded but logged an AnchorError`, result);
    prediction.apply();
    checkEvent(seq, op, result);
    count(seq.outcomes, `${kind} -> ok`);
    return true;
  }
  const actual = errorName(seq, result);
  seq.log.push(`${op} -> ${actual}`);
  if (!prediction.errors.includes(actual)) fail(seq, `${op} failed with ${actual}, the model expected ${expected}`, result);
  if (anchorLines.length !== 1 || !anchorLines[0].includes(`Error Code: ${actual}.`)) fail(seq, `${op} failed without exactly one AnchorError naming ${actual}`, result);
  count(seq.outcomes, `${kind} -> ${actual}`);
  return false;
}

function count(outcomes: Outcomes, key: string): void {
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
}

/** The event of a success carries the escrow's new totals (the indexer's contract). */
function checkEvent(seq: Sequence, op: string, result: SentTransaction): void {
  const name = EVENT_OF[op.split(" ")[0]];
  const events = seq.world.escrow.parseEvents(result.logs);
  const event = events.find((e) => e.name === name);
  if (!event) fail(seq, `${op} logged no ${name} event (got ${events.map((e) => e.name).join(", ")})`, result);
  const address = event.data.escrow as PublicKey | undefined;
  const slot = address && seq.slots.find((s) => s.escrow.pub.equals(address));
  const model = slot?.model;
  if (!model) return;
  const values: Record<string, bigint> = {
    deposited: model.deposited,
    settled: model.settled,
    fees: model.fees,
    refunded: model.refunded,
    pending: model.pending,
    matured: model.matured,
    available: model.available,
  };
  for (const [field, value] of Object.entries(values)) {
    if (field in event.data && toBigInt(event.data[field]) !== value) {
      fail(seq, `${op}: event ${name}.${field} = ${toBigInt(event.data[field])}, the escrow's is ${value}`, result);
    }
  }
}

/**
 * Compares the sequence's accounts with the model and checks the conservation laws. Escrows, vaults and
 * earnings every step; with `full`, also every watched wallet (a wrong transfer stays visible until then).
 */
function checkInvariants(seq: Sequence, full = seq.step % 4 === 0): void {
  const { world } = seq;
  const { escrow, books } = world;
  for (const slot of seq.slots) {
    const model = slot.model;
    if (!model) continue;
    const account = read(world, slot.escrow);
    if (model.closed) {
      if (account && (account.data.length > 0 || account.owner.some((b) => b !== 0))) fail(seq, `closed escrow ${model.terms.address} still exists`);
      continue;
    }
    if (!account) return fail(seq, `escrow ${model.terms.address} is missing`);
    const chain = escrow.program.coder.accounts.decode("escrow", account.data);
    const n = (v: unknown) => toBigInt(v);
    const fields: [string, bigint, bigint][] = [
      ["deposited", n(chain.deposited), model.deposited],
      ["settled", n(chain.settled), model.settled],
      ["fees", n(chain.fees), model.fees],
      ["refunded", n(chain.refunded), model.refunded],
      ["pending", n(chain.pending), model.pending],
      ["matured", n(chain.matured), model.matured],
      ["chargeCount", n(chain.chargeCount), model.chargeCount],
      ["closingAt", n(chain.closingAt), model.closingAt],
      ["feeBps", BigInt(chain.feeBps), BigInt(model.terms.feeBps)],
    ];
    for (const [field, onChain, expected] of fields) if (onChain !== expected) fail(seq, `escrow.${field} is ${onChain}, the model says ${expected}`);
    // conservation from the chain alone: nothing out that was not in, pending is its buckets
    const out = n(chain.settled) + n(chain.fees) + n(chain.refunded) + n(chain.pending) + n(chain.matured);
    if (out > n(chain.deposited)) fail(seq, `escrow books exceed its deposits: ${out} > ${n(chain.deposited)}`);
    let bucketSum = 0n;
    (chain.buckets as Record<string, unknown>[]).forEach((b, i) => {
      const m = model.buckets[i];
      const onChain = [n(b.window), n(b.amount), n(b.disputed), n(b.units), BigInt(b.charges as number)];
      const expected = m ? [m.window, m.amount, m.disputed, m.units, BigInt(m.charges)] : [0n, 0n, 0n, 0n, 0n];
      if (onChain.join() !== expected.join()) fail(seq, `bucket ${i} is [${onChain}] (window, amount, disputed, units, charges), the model says [${expected}]`);
      if (m && !Buffer.from(b.usageChain as number[]).equals(m.usageChain)) fail(seq, `bucket ${i}'s usage chain differs from the model's`);
      if (onChain[2] > onChain[1]) fail(seq, `bucket ${i} disputes more than it holds`);
      bucketSum += onChain[1];
    });
    if (bucketSum !== n(chain.pending)) fail(seq, `pending ${n(chain.pending)} is not the sum of the buckets ${bucketSum}`);
    const expectedLamports = books.escrowRent + (slot.mint === "sol" ? model.held : 0n);
    if (account.lamports !== expectedLamports) fail(seq, `escrow lamports ${account.lamports}, expected rent + held = ${expectedLamports}`);
  }
  for (const token of world.mints) {
    const vault = read(world, token.vault)!.data.readBigUInt64LE(64);
    const expected = books.vaults.get(token.mint.toBase58());
    if (vault !== expected) fail(seq, `the ${token.kind} vault holds ${vault}, the books say ${expected}`);
  }
  for (const mint of seq.mintsUsed) {
    for (const p of seq.earners) {
      const expected = books.earnings.get(earningsKey(p.key, mint))!;
      const account = read(world, earningsAddress(world, p, mint));
      if (!account) return fail(seq, `earnings of ${p.key} in ${mint} are missing`);
      const chain = escrow.program.coder.accounts.decode("earnings", account.data);
      const got = [toBigInt(chain.balance), toBigInt(chain.totalEarned), toBigInt(chain.totalWithdrawn)];
      const want = [expected.balance, expected.totalEarned, expected.totalWithdrawn];
      if (got.join() !== want.join()) fail(seq, `earnings of ${p.key} in ${mint} are [${got}] (balance, earned, withdrawn), the model says [${want}]`);
      if (got[0] !== got[1] - got[2]) fail(seq, `earnings balance is not earned - withdrawn`);
      if (mint === "sol" && account.lamports !== world.earningsRent + got[0]) fail(seq, `SOL earnings lamports ${account.lamports} are not rent + balance`);
    }
  }
  if (!full) return;
  for (const p of [...seq.watched, world.stranger]) {
    for (const mint of new Set<MintKey>(["sol", ...seq.mintsUsed])) {
      const expected = books.wallets.get(walletKey(p.key, mint));
      if (expected === undefined) continue;
      const got = chainWallet(world, p, mint);
      if (got !== expected) fail(seq, `wallet of ${p === world.stranger ? "the stranger" : p.key} in ${mint} holds ${got}, the model says ${expected}`);
    }
  }
}


// ---- the operations -----------------------------------------------------------------------------------------

function now(seq: Sequence): bigint {
  return seq.world.t.clock().unixTimestamp;
}

async function configure(seq: Sequence, feeBps: number, paused: boolean, treasury: PublicKey): Promise<void> {
  const { world } = seq;
  const prediction = predictUpdateConfig(world.books, feeBps, paused, treasury.toBase58());
  const ix = await world.escrow.updateConfigIx({ admin: world.admin.publicKey, treasury, arbiter: world.arbiter.publicKey, feeBps, paused });
  execute(seq, `config fee ${feeBps} paused ${paused}`, prediction, [ix], [world.admin]);
}

async function open(seq: Sequence, slot: Slot, broken: string | null): Promise<void> {
  const { world, rng } = seq;
  const t0 = now(seq);
  let expiresAt = t0 + slot.window * BigInt(rng.range(1, 12)) + BigInt(rng.int(Number(slot.window)));
  let window = slot.window;
  let maxPrice: bigint = rng.weighted([[1n, 2], [7n, 1], [1_000n, 2], [1_000_000n, 1]] as const);
  let providerMeter = seq.meter.pub;
  let payees: ModelPayee[] = [...slot.payees];
  if (broken === "expiry") expiresAt = t0 - BigInt(rng.int(2));
  if (broken === "window") window = rng.pick([59n, 30n * 24n * 3600n + 1n, 0n]);
  if (broken === "price") maxPrice = 0n;
  if (broken === "meter") providerMeter = PublicKey.default;
  if (broken === "payees") payees = payees.map((p, i) => (i === 0 ? { ...p, shareBps: p.shareBps + 1 } : p));
  const deposit = rng.weighted([[0n, 1], [rng.big(1n, 100n), 2], [rng.big(1n, 1_000_000n), 3], [rng.big(1n, 10_000_000_000n), 2]] as const);
  const terms: EscrowTerms = {
    address: slot.escrow.key,
    client: seq.client.key,
    mint: slot.mint,
    providerMeter: providerMeter.toBase58(),
    programMeter: slot.programMeter?.key ?? null,
    payees,
    maxPrice,
    feeBps: 0,
    openedAt: t0,
    expiresAt,
    window,
  };
  const prediction = predictOpen(world.books, { terms, deposit, now: t0 });
  const ix = await world.escrow.openEscrowIx({
    client: seq.client.pub,
    escrow: slot.escrow.pub,
    provider: seq.meter.pub,
    providerMeter,
    programMeter: slot.programMeter?.pub,
    payees: payees.map((p) => ({ owner: new PublicKey(p.owner), shareBps: p.shareBps })),
    maxPricePerUnit: maxPrice,
    expiresAt,
    challengeWindow: window,
    deposit,
    funding: slot.funding,
    clientToken: slot.mint === "sol" ? undefined : wallet(world, seq.client, slot.mint).pub,
  });
  if (execute(seq, `open ${slot.mint} deposit ${deposit} window ${window} expires +${expiresAt - t0}${broken ? ` (${broken})` : ""}`, prediction, [ix], [seq.client.keypair, slot.escrow.keypair])) {
    slot.model = prediction.escrow;
  }
}

/** A signer for a role, or the stranger now and then. */
function actor(seq: Sequence, rightful: Party, strangerChance: number): Party {
  return seq.rng.chance(strangerChance) ? seq.world.stranger : rightful;
}

async function fund(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const { world, rng } = seq;
  const signer = actor(seq, seq.client, 0.1);
  const amount = rng.weighted([[0n, 1], [rng.big(1n, 1_000n), 3], [rng.big(1n, 1_000_000_000n), 2]] as const);
  const prediction = predictFund(world.books, e, signer.key, amount, now(seq));
  const ix = await world.escrow.fundEscrowIx({
    client: signer.pub,
    escrow: slot.escrow.pub,
    amount,
    funding: slot.funding,
    clientToken: slot.mint === "sol" ? undefined : wallet(world, signer, slot.mint).pub,
  });
  execute(seq, `fund ${amount} by ${signer === seq.client ? "client" : "stranger"}`, prediction, [ix], [signer.keypair]);
}

async function charge(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const { world, rng } = seq;
  const meters: [Party, number][] = [[seq.meter, 80], [world.stranger, 4], [seq.client, 3]];
  if (slot.programMeter) meters.push([slot.programMeter, 15]);
  else meters.push([party(freshKeypair(world.sender)), 2]); // a program meter the client never authorised
  const meter = rng.weighted(meters);
  const available = e.available;
  const amount = rng.weighted([
    [1n, 2],
    [rng.big(1n, available > 0n ? available : 1n), 10],
    [available, 2],
    [available + 1n, 1],
    [0n, 1],
  ] as const);
  const price = e.terms.maxPrice;
  const needed = amount === 0n ? 1n : (amount + price - 1n) / price;
  const units = rng.weighted([[needed, 6], [needed + rng.big(0n, 1_000n), 3], [needed - 1n, 1], [0n, 1]] as const);
  const usageRef = Buffer.from(rng.bytes(32));
  const prediction = predictCharge(world.books, e, meter.key, units, amount, usageRef, now(seq));
  const ix = await world.escrow.chargeIx({ meter: meter.pub, escrow: slot.escrow.pub, units, amount, usageRef });
  execute(seq, `charge ${amount} for ${units} units`, prediction, [ix], [meter.keypair]);
}

function someWindow(seq: Sequence, e: EscrowModel, prefer: (b: NonNullable<EscrowModel["buckets"][number]>) => boolean = () => true): bigint {
  const candidates = e.buckets.filter((b): b is NonNullable<typeof b> => b !== null && prefer(b)).map((b) => b.window);
  if (candidates.length > 0 && seq.rng.chance(0.92)) return seq.rng.pick(candidates);
  return e.windowOf(now(seq)) - BigInt(seq.rng.int(3));
}

async function approve(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const signer = actor(seq, seq.client, 0.08);
  const window = someWindow(seq, e);
  const prediction = predictApprove(e, signer.key, window, now(seq));
  const ix = await seq.world.escrow.approveChargesIx({ client: signer.pub, escrow: slot.escrow.pub, window });
  execute(seq, `approve window ${window}`, prediction, [ix], [signer.keypair]);
}

async function dispute(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const { rng } = seq;
  const signer = actor(seq, seq.client, 0.08);
  const window = someWindow(seq, e, (b) => b.amount > b.disputed);
  const bucket = e.buckets.find((b) => b?.window === window);
  const open = bucket ? bucket.amount - bucket.disputed : 1n;
  const amount = rng.weighted([[rng.big(1n, open > 0n ? open : 1n), 7], [open, 2], [open + 1n, 1], [0n, 1]] as const);
  const prediction = predictDispute(e, signer.key, window, amount, now(seq));
  const ix = await seq.world.escrow.disputeChargesIx({ client: signer.pub, escrow: slot.escrow.pub, window, amount, usageRef: rng.bytes(32) });
  execute(seq, `dispute ${amount} of window ${window}`, prediction, [ix], [signer.keypair]);
}

async function resolve(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const { rng, world } = seq;
  const signer = actor(seq, party(world.arbiter), 0.08);
  const window = someWindow(seq, e, (b) => b.disputed > 0n);
  const disputed = e.buckets.find((b) => b?.window === window)?.disputed ?? 0n;
  const toProvider = rng.weighted([[rng.big(0n, disputed), 6], [0n, 2], [disputed, 2], [disputed + 1n, 1]] as const);
  const prediction = predictResolve(world.books, e, signer.key, window, toProvider);
  const ix = await world.escrow.resolveDisputeIx({ arbiter: signer.pub, escrow: slot.escrow.pub, window, toProvider });
  execute(seq, `resolve window ${window}: ${toProvider} of ${disputed} to the provider`, prediction, [ix], [signer.keypair]);
}

async function settle(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const { rng } = seq;
  let payees = [...e.terms.payees];
  if (rng.chance(0.08)) {
    payees = payees.length > 1 && rng.chance(0.5) ? payees.slice(1) : payees.map((p, i) => (i === payees.length - 1 ? { ...p, shareBps: p.shareBps === 10_000 ? 9_999 : p.shareBps + 1 } : p));
  }
  await settleWith(seq, slot, e, payees);
}

/** Settles with `payees`; a success credits this sequence's earners (what they may withdraw in it). */
async function settleWith(seq: Sequence, slot: Slot, e: EscrowModel, payees: readonly ModelPayee[]): Promise<void> {
  const { world } = seq;
  const prediction = predictSettle(world.books, e, payees, now(seq));
  const after = e.clone();
  after.mature(now(seq));
  const { fee, parts } = splitSettlement(after.matured, e.terms.feeBps, e.terms.payees);
  const ix = await world.escrow.settleIx({
    escrow: slot.escrow.pub,
    payees: payees.map((p) => ({ owner: new PublicKey(p.owner), shareBps: p.shareBps })),
    treasury: seq.treasury.pub,
    mint: mintOf(world, slot.mint)?.mint ?? SOL_MINT,
  });
  if (execute(seq, `settle${payees === e.terms.payees ? "" : " (other payees)"}`, prediction, [ix], [])) {
    const credit = (owner: string, amount: bigint) => add(seq.available, earningsKey(owner, slot.mint), amount);
    credit(seq.treasury.key, fee);
    e.terms.payees.forEach((p, i) => credit(p.owner, parts[i]));
  }
}

function add(map: Map<string, bigint>, key: string, delta: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + delta);
}

async function withdraw(seq: Sequence): Promise<void> {
  const { rng } = seq;
  // mostly someone this sequence paid
  const paid = seq.mintsUsed.flatMap((mint) => seq.earners.filter((p) => (seq.available.get(earningsKey(p.key, mint)) ?? 0n) > 0n).map((p) => [p, mint] as const));
  const [owner, mint] = paid.length > 0 && rng.chance(0.9) ? rng.pick(paid) : [rng.pick(seq.earners), rng.pick(seq.mintsUsed)];
  const mine = seq.available.get(earningsKey(owner.key, mint)) ?? 0n;
  // amounts from what this sequence credited (U64_MAX: more than anyone holds)
  const some = mine > 0n ? 6 : 0;
  const amount = rng.weighted([[rng.big(1n, mine > 0n ? mine : 1n), some], [mine, some / 2], [U64_MAX, 1], [0n, 1]] as const);
  await withdrawAs(seq, owner, actor(seq, owner, 0.1), mint, amount);
}

/** `signer` withdraws `amount` of `owner`'s earnings in `mint` to its own wallet. */
async function withdrawAs(seq: Sequence, owner: Party, signer: Party, mint: MintKey, amount: bigint): Promise<void> {
  const { world } = seq;
  const funding = mintOf(world, mint)?.funding ?? SOL;
  const prediction = predictWithdraw(world.books, signer.key, owner.key, mint, amount, signer.key);
  const ix = await world.escrow.withdrawEarningsIx({ owner: owner.pub, destination: wallet(world, signer, mint).pub, amount, funding });
  // the earnings are the owner's; a stranger signs in the owner's place and names its own wallet
  if (signer !== owner) ix.keys[0] = { pubkey: signer.pub, isSigner: true, isWritable: false };
  const by = signer !== owner ? " by the stranger" : "";
  if (execute(seq, `withdraw ${amount} of ${owner.key.slice(0, 6)}'s ${mint.slice(0, 6)} earnings${by}`, prediction, [ix], [signer.keypair])) {
    add(seq.available, earningsKey(owner.key, mint), -amount);
  }
}

async function requestClose(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const signer = actor(seq, seq.client, 0.1);
  const prediction = predictRequestClose(e, signer.key, now(seq));
  const ix = await seq.world.escrow.requestCloseIx({ client: signer.pub, escrow: slot.escrow.pub });
  execute(seq, "requestClose", prediction, [ix], [signer.keypair]);
}

async function refund(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const { world } = seq;
  const signer = actor(seq, seq.client, 0.1);
  const prediction = predictRefund(world.books, e, signer.key, now(seq));
  const ix = await world.escrow.refundIx({
    client: signer.pub,
    escrow: slot.escrow.pub,
    funding: slot.funding,
    clientToken: slot.mint === "sol" ? undefined : wallet(world, signer, slot.mint).pub,
  });
  execute(seq, `refund${signer !== seq.client ? " by the stranger" : ""}`, prediction, [ix], [signer.keypair]);
}

async function close(seq: Sequence, slot: Slot, e: EscrowModel): Promise<void> {
  const signer = actor(seq, seq.client, 0.1);
  const prediction = predictClose(seq.world.books, e, signer.key);
  const ix = await seq.world.escrow.closeEscrowIx({ client: signer.pub, escrow: slot.escrow.pub });
  execute(seq, `close${signer !== seq.client ? " by the stranger" : ""}`, prediction, [ix], [signer.keypair]);
}

/** Moves time forward: a little, to a boundary that matters (±1 s), or by whole windows. */
function warp(seq: Sequence, e: EscrowModel | null): void {
  const { rng, world } = seq;
  const t0 = now(seq);
  const limit = START + BigInt(seq.index + 1) * SPAN - 1n;
  // [target, weight]: a little, the next window (±1 s), a bucket's maturity (±1 s), the end (±1 s), windows
  const targets: [bigint, number][] = [];
  if (e) {
    const w = e.terms.window;
    targets.push([t0 + BigInt(rng.range(1, Math.max(1, Number(w / 4n)))), 4]);
    targets.push([(e.windowOf(t0) + 1n) * w + BigInt(rng.range(-1, 1)), 3]);
    for (const b of e.buckets) if (b) targets.push([e.maturesAt(b.window) + BigInt(rng.range(-1, 1)), 2]);
    targets.push([e.endsAt() + BigInt(rng.range(-1, 1)), 1]);
    targets.push([t0 + w * BigInt(rng.range(1, 3)), 1]);
  } else {
    targets.push([t0 + BigInt(rng.range(1, 600)), 1]);
  }
  const candidates = targets.filter(([x]) => x > t0 && x < limit);
  if (candidates.length === 0) return;
  const to = rng.weighted(candidates);
  world.t.warp({ unixTimestamp: to });
  seq.log.push(`warp +${to - t0} s`);
}

async function pause(seq: Sequence): Promise<void> {
  const { books } = seq.world;
  await configure(seq, books.config.feeBps, !books.config.paused, new PublicKey(books.config.treasury));
}

// ---- sequences --------------------------------------------------------------------------------------------------

/** Runs sequence `index` of the run seeded `master`: opens, random operations, and sometimes a full wind-down. */
async function runSequence(world: World, master: bigint, index: number, outcomes: Outcomes): Promise<{ steps: number }> {
  const seq = await startSequence(world, master, index, outcomes);
  const { rng } = seq;
  try {
    for (const slot of seq.slots) {
      if (rng.chance(0.15)) await open(seq, slot, rng.pick(["expiry", "window", "price", "meter", "payees"]));
      checkInvariants(seq);
      await open(seq, slot, null);
      checkInvariants(seq);
    }
    const steps = rng.range(4, 30);
    for (let i = 0; i < steps; i++) {
      const slot = rng.pick(seq.slots);
      const e = slot.model;
      if (!e) break;
      if (e.closed && rng.chance(0.8)) continue;
      // weights follow the state, so that most operations have something to act on
      const t = now(seq);
      const ended = t >= e.endsAt();
      const buckets = e.buckets.filter((b) => b !== null);
      const disputable = buckets.some((b) => b!.amount > b!.disputed && t < e.maturesAt(b!.window));
      const disputed = buckets.some((b) => b!.disputed > 0n);
      const op = rng.weighted([
        ["charge", ended ? 3 : 30],
        ["warp", 16],
        ["fund", ended ? 1 : 5],
        ["approve", buckets.length > 0 ? 6 : 1],
        ["dispute", disputable ? 10 : 1],
        ["resolve", disputed ? 8 : 1],
        ["settle", 8],
        ["withdraw", 7],
        ["requestClose", 2],
        ["refund", ended ? 8 : 2],
        ["close", ended ? 4 : 1],
        ["pause", 1],
      ] as const);
      if (op === "charge") await charge(seq, slot, e);
      else if (op === "warp") warp(seq, e);
      else if (op === "fund") await fund(seq, slot, e);
      else if (op === "approve") await approve(seq, slot, e);
      else if (op === "dispute") await dispute(seq, slot, e);
      else if (op === "resolve") await resolve(seq, slot, e);
      else if (op === "settle") await settle(seq, slot, e);
      else if (op === "withdraw") await withdraw(seq);
      else if (op === "requestClose") await requestClose(seq, slot, e);
      else if (op === "refund") await refund(seq, slot, e);
      else if (op === "close") await close(seq, slot, e);
      else await pause(seq);
      checkInvariants(seq);
    }
    if (rng.chance(0.5)) await windDown(seq);
    if (world.books.config.paused) await pause(seq);
    checkInvariants(seq, true);
    return { steps: seq.step };
  } catch (error) {
    if (error instanceof SequenceFailure) throw error;
    fail(seq, `threw ${(error as Error).stack ?? String(error)}`);
  }
}

/** Everything to its end: disputes resolved, charges settled, funds refunded, escrows closed, earnings withdrawn. */
async function windDown(seq: Sequence): Promise<void> {
  const { world, rng } = seq;
  seq.log.push("-- wind-down");
  if (world.books.config.paused) await pause(seq);
  for (const slot of seq.slots) {
    const e = slot.model;
    if (!e || e.closed) continue;
    const end = e.buckets.reduce((latest, b) => (b && e.maturesAt(b.window) > latest ? e.maturesAt(b.window) : latest), e.endsAt());
    if (end > now(seq)) {
      world.t.warp({ unixTimestamp: end });
      seq.log.push(`warp to ${end}`);
    }
    for (const b of e.buckets.filter((x) => x !== null && x.disputed > 0n)) {
      const toProvider = rng.big(0n, b!.disputed);
      const prediction = predictResolve(world.books, e, world.arbiter.publicKey.toBase58(), b!.window, toProvider);
      const ix = await world.escrow.resolveDisputeIx({ arbiter: world.arbiter.publicKey, escrow: slot.escrow.pub, window: b!.window, toProvider });
      execute(seq, `resolve window ${b!.window}: ${toProvider} to the provider`, prediction, [ix], [world.arbiter]);
      checkInvariants(seq);
    }
    const settlement = predictSettle(world.books, e, e.terms.payees, now(seq));
    if (settlement.errors.length === 0) await settleWith(seq, slot, e, e.terms.payees);
    const refunding = predictRefund(world.books, e, seq.client.key, now(seq));
    if (refunding.errors.length === 0) {
      const ix = await world.escrow.refundIx({
        client: seq.client.pub,
        escrow: slot.escrow.pub,
        funding: slot.funding,
        clientToken: slot.mint === "sol" ? undefined : wallet(world, seq.client, slot.mint).pub,
      });
      execute(seq, "refund", refunding, [ix], [seq.client.keypair]);
      checkInvariants(seq);
    }
    const closing = predictClose(world.books, e, seq.client.key);
    if (closing.errors.length > 0) fail(seq, `wind-down: the escrow cannot close (${closing.errors.join(", ")}): it holds ${e.held}`);
    const ix = await world.escrow.closeEscrowIx({ client: seq.client.pub, escrow: slot.escrow.pub });
    execute(seq, "close", closing, [ix], [seq.client.keypair]);
    checkInvariants(seq);
    if (e.settled + e.fees + e.refunded !== e.deposited) fail(seq, `closed escrow: settled + fees + refunded = ${e.settled + e.fees + e.refunded}, deposited ${e.deposited}`);
  }
  for (const mint of seq.mintsUsed) {
    for (const owner of seq.earners) {
      const mine = seq.available.get(earningsKey(owner.key, mint)) ?? 0n;
      if (mine > 0n) await withdrawAs(seq, owner, owner, mint, mine);
      checkInvariants(seq);
    }
  }
}

/**
 * Every escrow and earnings account on the chain, summed per mint: each token vault holds exactly what the
 * books say, and the earnings were credited exactly what all escrows (closed ones included) paid out.
 */
export async function sweep(world: World): Promise<void> {
  const { t, escrow, books } = world;
  const held = new Map<MintKey, bigint>();
  const balances = new Map<MintKey, bigint>();
  const earned = new Map<MintKey, bigint>();
  const mintKey = (mint: PublicKey) => (mint.equals(SOL_MINT) ? "sol" : mint.toBase58());
  const accounts = t.svm.getProgramAccounts(escrow.program.programId.toBase58() as never);
  for (const account of accounts) {
    const data = Buffer.from(account.data);
    const discriminator = data.subarray(0, 8);
    if (discriminator.equals(Buffer.from(escrowIdl.accounts.find((a) => a.name === "Escrow")!.discriminator))) {
      const e = escrow.program.coder.accounts.decode("escrow", data);
      const out = toBigInt(e.settled) + toBigInt(e.fees) + toBigInt(e.refunded);
      const mint = mintKey(e.mint);
      held.set(mint, (held.get(mint) ?? 0n) + toBigInt(e.deposited) - out);
      if (mint === "sol" && BigInt(account.lamports) !== books.escrowRent + toBigInt(e.deposited) - out) {
        throw new Error(`sweep: SOL escrow ${account.address} holds ${account.lamports} lamports, not rent + held`);
      }
    } else if (discriminator.equals(Buffer.from(escrowIdl.accounts.find((a) => a.name === "Earnings")!.discriminator))) {
      const e = escrow.program.coder.accounts.decode("earnings", data);
      const mint = mintKey(e.mint);
      balances.set(mint, (balances.get(mint) ?? 0n) + toBigInt(e.balance));
      earned.set(mint, (earned.get(mint) ?? 0n) + toBigInt(e.totalEarned));
      if (toBigInt(e.balance) !== toBigInt(e.totalEarned) - toBigInt(e.totalWithdrawn)) throw new Error(`sweep: earnings ${account.address} do not add up`);
    }
  }
  for (const token of world.mints) {
    const mint = token.mint.toBase58();
    const vault = read(world, token.vault)!.data.readBigUInt64LE(64);
    const books_ = (held.get(mint) ?? 0n) + (balances.get(mint) ?? 0n);
    if (vault !== books_) throw new Error(`sweep: the ${token.kind} vault holds ${vault}, escrows and earnings account for ${books_}`);
  }
  for (const mint of ["sol", ...world.mints.map((m) => m.mint.toBase58())]) {
    if ((earned.get(mint) ?? 0n) !== (books.paidOut.get(mint) ?? 0n)) {
      throw new Error(`sweep: earnings in ${mint} were credited ${earned.get(mint) ?? 0n}, escrows paid out ${books.paidOut.get(mint) ?? 0n}`);
    }
  }
}

export interface RunOptions {
  readonly seed: bigint;
  readonly sequences: number;
  /** Index of the first sequence (to replay one: `first` = its index, `sequences` = 1). */
  readonly first?: number;
  /** Sequences per LiteSVM before a fresh one (bounds its memory); default 1,000. */
  readonly perWorld?: number;
  readonly onProgress?: (done: number, steps: number) => void;
}

export interface RunResult {
  readonly sequences: number;
  readonly steps: number;
  readonly outcomes: Outcomes;
}

/** Runs `sequences` seeded sequences; throws, naming the seed and how to replay, at the first failure. */
export async function runSequences(options: RunOptions): Promise<RunResult> {
  const first = options.first ?? 0;
  const perWorld = options.perWorld ?? 1_000;
  let world: World | null = null;
  let steps = 0;
  const outcomes: Outcomes = new Map();
  for (let i = first; i < first + options.sequences; i++) {
    if (!world || (i - first) % perWorld === 0) {
      if (world) await sweep(world);
      world = await createWorld(options.seed);
    }
    try {
      steps += (await runSequence(world, options.seed, i, outcomes)).steps;
    } catch (error) {
      const replay = `npm run soak:escrow -- --seed ${options.seed} --first ${i} --sequences 1`;
      const failure = new Error(`escrow property failed: seed ${options.seed}, sequence ${i}. Replay: ${replay}\n${(error as Error).message}`);
      failure.stack = failure.message;
      throw failure;
    }
    options.onProgress?.(i - first + 1, steps);
  }
  if (world) await sweep(world);
  return { sequences: options.sequences, steps, outcomes };
}

