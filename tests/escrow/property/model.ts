// A reference model of the escrow's accounting, written from the documented rules (docs/ARCHITECTURE.md, the
// handlers' comments), not from the Rust code: what every instruction should do to an escrow, the earnings,
// the vaults and the parties' wallets, and which named errors may refuse it.
//
// A refused operation lists every rule it breaks; the program must fail with one of them (which one depends on
// the order of its checks, an implementation detail) and change nothing.
import { createHash } from "node:crypto";

export const BUCKETS = 4;
export const MAX_FEE_BPS = 1_000;
export const MIN_WINDOW = 60n;
export const MAX_WINDOW = 30n * 24n * 3600n;
export const U64_MAX = (1n << 64n) - 1n;

/** A payee and its share. Owners are base58 strings; lists are sorted by owner bytes. */
export interface ModelPayee {
  readonly owner: string;
  readonly ownerBytes: Buffer;
  readonly shareBps: number;
}

export interface ModelBucket {
  window: bigint;
  amount: bigint;
  disputed: bigint;
  units: bigint;
  charges: number;
  usageChain: Buffer;
}

/** The currency of an escrow: "sol" or a mint's base58 address. */
export type MintKey = string;

export interface EscrowTerms {
  readonly address: string;
  readonly client: string;
  readonly mint: MintKey;
  readonly providerMeter: string;
  readonly programMeter: string | null;
  readonly payees: readonly ModelPayee[];
  readonly maxPrice: bigint;
  readonly feeBps: number;
  readonly openedAt: bigint;
  readonly expiresAt: bigint;
  readonly window: bigint;
}

export class EscrowModel {
  closingAt = 0n;
  deposited = 0n;
  settled = 0n;
  fees = 0n;
  refunded = 0n;
  pending = 0n;
  matured = 0n;
  chargeCount = 0n;
  buckets: (ModelBucket | null)[] = Array.from({ length: BUCKETS }, () => null);
  closed = false;

  constructor(readonly terms: EscrowTerms) {}

  clone(): EscrowModel {
    const copy = new EscrowModel(this.terms);
    Object.assign(copy, this, { buckets: this.buckets.map((b) => (b ? { ...b } : null)) });
    return copy;
  }

  get available(): bigint {
    return this.deposited - this.settled - this.fees - this.refunded - this.pending - this.matured;
  }

  get held(): bigint {
    return this.available + this.pending + this.matured;
  }

  /** From then on no charges or top-ups, and the client may take back what is available. */
  endsAt(): bigint {
    return this.closingAt !== 0n && this.closingAt < this.terms.expiresAt ? this.closingAt : this.terms.expiresAt;
  }

  windowOf(now: bigint): bigint {
    return floorDiv(now, this.terms.window);
  }

  /** A bucket can be disputed until one full window after its own window. */
  maturesAt(window: bigint): bigint {
    return (window + 2n) * this.terms.window;
  }

  bucketIndex(window: bigint): number {
    return this.buckets.findIndex((b) => b !== null && b.window === window);
  }

  /** Undisputed amounts of buckets past their window (or of `approve`'s bucket) become matured. */
  mature(now: bigint, approve?: bigint): bigint {
    let total = 0n;
    this.buckets = this.buckets.map((b) => {
      if (!b || !(this.maturesAt(b.window) <= now || approve === b.window)) return b;
      total += b.amount - b.disputed;
      return b.disputed === 0n ? null : { ...b, amount: b.disputed };
    });
    this.pending -= total;
    this.matured += total;
    return total;
  }
}

/** What an operation does besides the escrow's own books: earnings, wallets, vault. */
export interface Books {
  readonly config: { feeBps: number; paused: boolean; treasury: string; arbiter: string };
  /** Earnings by `${owner}:${mint}`. */
  readonly earnings: Map<string, { balance: bigint; totalEarned: bigint; totalWithdrawn: bigint }>;
  /** Wallet balances by `${owner}:${mint}` (lamports for SOL, the owner's token account otherwise). */
  readonly wallets: Map<string, bigint>;
  /** What each token vault must hold: every token escrow's held funds plus every earnings balance in it. */
  readonly vaults: Map<MintKey, bigint>;
  /** Settled + fees of every escrow ever, by mint (closed ones included): what the earnings were credited. */
  readonly paidOut: Map<MintKey, bigint>;
  /** Rent of an escrow account. */
  readonly escrowRent: bigint;
}

export const earningsKey = (owner: string, mint: MintKey) => `${owner}:${mint}`;
export const walletKey = earningsKey;

/** The outcome the model predicts: no errors and the changes, or the rules broken. */
export interface Prediction {
  readonly errors: readonly string[];
  /** Applies the changes (only when `errors` is empty). */
  readonly apply: () => void;
}

const refused = (errors: string[]): Prediction => ({ errors, apply: () => {} });

function add(map: Map<string, bigint>, key: string, delta: bigint): void {
  map.set(key, (map.get(key) ?? 0n) + delta);
}

function isToken(mint: MintKey): boolean {
  return mint !== "sol";
}

// ---- the operations ----------------------------------------------------------------------------------------

export interface OpenRequest {
  readonly terms: EscrowTerms;
  readonly deposit: bigint;
  readonly now: bigint;
}

export function predictOpen(books: Books, r: OpenRequest): Prediction & { escrow: EscrowModel } {
  const errors: string[] = [];
  const t = r.terms;
  if (books.config.paused) errors.push("Paused");
  if (t.expiresAt <= r.now) errors.push("InvalidExpiry");
  if (t.window < MIN_WINDOW || t.window > MAX_WINDOW) errors.push("InvalidChallengeWindow");
  if (t.maxPrice === 0n) errors.push("InvalidPrice");
  if (t.providerMeter === ZERO_KEY) errors.push("InvalidMeter");
  if (!validPayees(t.payees)) errors.push("InvalidPayees");
  const escrow = new EscrowModel({ ...t, feeBps: books.config.feeBps, openedAt: r.now });
  escrow.deposited = r.deposit;
  return {
    errors,
    escrow,
    apply: () => {
      add(books.wallets, walletKey(t.client, t.mint), -(r.deposit + (isToken(t.mint) ? 0n : books.escrowRent)));
      if (isToken(t.mint)) {
        add(books.wallets, walletKey(t.client, "sol"), -books.escrowRent);
        add(books.vaults, t.mint, r.deposit);
      }
    },
  };
}

export function predictFund(books: Books, e: EscrowModel, signer: string, amount: bigint, now: bigint): Prediction {
  const errors: string[] = [];
  if (amount === 0n) errors.push("ZeroAmount");
  if (e.closed) return refused([...errors, "AccountNotInitialized"]);
  if (signer !== e.terms.client) errors.push("NotClient");
  if (now >= e.endsAt()) errors.push("EscrowEnded");
  return {
    errors,
    apply: () => {
      e.deposited += amount;
      add(books.wallets, walletKey(signer, e.terms.mint), -amount);
      if (isToken(e.terms.mint)) add(books.vaults, e.terms.mint, amount);
    },
  };
}

export function predictCharge(books: Books, e: EscrowModel, meter: string, units: bigint, amount: bigint, usageRef: Buffer, now: bigint): Prediction {
  const errors: string[] = [];
  if (books.config.paused) errors.push("Paused");
  if (e.closed) return refused([...errors, "AccountNotInitialized"]);
  if (meter !== e.terms.providerMeter && meter !== e.terms.programMeter) errors.push("NotMeter");
  if (now >= e.endsAt()) errors.push("EscrowEnded");
  if (units === 0n || amount === 0n) errors.push("ZeroCharge");
  if (amount > units * e.terms.maxPrice) errors.push("PriceAboveTerms");
  const after = e.clone();
  after.mature(now);
  if (amount > after.available) errors.push("InsufficientBalance");
  const window = after.windowOf(now);
  let slot = after.bucketIndex(window);
  if (slot < 0) slot = after.buckets.findIndex((b) => b === null);
  if (slot < 0) errors.push("TooManyOpenDisputes");
  return {
    errors,
    apply: () => {
      e.mature(now);
      const b = e.buckets[slot] ?? { window, amount: 0n, disputed: 0n, units: 0n, charges: 0, usageChain: Buffer.alloc(32) };
      b.window = window;
      b.amount += amount;
      b.units += units;
      b.charges += 1;
      b.usageChain = createHash("sha256").update(b.usageChain).update(usageRef).digest();
      e.buckets[slot] = b;
      e.pending += amount;
      e.chargeCount += 1n;
    },
  };
}

export function predictApprove(e: EscrowModel, signer: string, window: bigint, now: bigint): Prediction {
  if (e.closed) return refused(["AccountNotInitialized"]);
  const errors: string[] = [];
  if (signer !== e.terms.client) errors.push("NotClient");
  if (e.bucketIndex(window) < 0) errors.push("UnknownBucket");
  return { errors, apply: () => void e.mature(now, window) };
}

export function predictDispute(e: EscrowModel, signer: string, window: bigint, amount: bigint, now: bigint): Prediction {
  if (e.closed) return refused(["AccountNotInitialized"]);
  const errors: string[] = [];
  if (signer !== e.terms.client) errors.push("NotClient");
  const i = e.bucketIndex(window);
  if (i < 0) return refused([...errors, "UnknownBucket"]);
  if (now >= e.maturesAt(window)) errors.push("ChallengeWindowClosed");
  const b = e.buckets[i]!;
  if (amount === 0n || amount > b.amount - b.disputed) errors.push("InvalidDisputeAmount");
  return { errors, apply: () => void (b.disputed += amount) };
}

export function predictResolve(books: Books, e: EscrowModel, signer: string, window: bigint, toProvider: bigint): Prediction {
  const errors: string[] = [];
  if (signer !== books.config.arbiter) errors.push("NotArbiter");
  if (e.closed) return refused([...errors, "AccountNotInitialized"]);
  const i = e.bucketIndex(window);
  if (i < 0) return refused([...errors, "UnknownBucket"]);
  const b = e.buckets[i]!;
  if (b.disputed === 0n) return refused([...errors, "NoDispute"]);
  if (toProvider > b.disputed) errors.push("InvalidDisputeAmount");
  return {
    errors,
    apply: () => {
      const disputed = b.disputed;
      b.amount -= disputed;
      b.disputed = 0n;
      if (b.amount === 0n) e.buckets[i] = null;
      e.pending -= disputed;
      e.matured += toProvider;
    },
  };
}

/** Fee and each payee's part of a settlement of `amount` (dust to the last payee). */
export function splitSettlement(amount: bigint, feeBps: number, payees: readonly ModelPayee[]): { fee: bigint; parts: bigint[] } {
  const fee = (amount * BigInt(feeBps)) / 10_000n;
  const rest = amount - fee;
  let paid = 0n;
  const parts = payees.map((p, i) => {
    const part = i === payees.length - 1 ? rest - paid : (rest * BigInt(p.shareBps)) / 10_000n;
    paid += part;
    return part;
  });
  return { fee, parts };
}

export function predictSettle(books: Books, e: EscrowModel, payees: readonly ModelPayee[], now: bigint): Prediction {
  if (e.closed) return refused(["AccountNotInitialized"]);
  const errors: string[] = [];
  if (!samePayees(payees, e.terms.payees)) errors.push("PayeesMismatch");
  const after = e.clone();
  after.mature(now);
  if (after.matured === 0n) errors.push("NothingToSettle");
  return {
    errors,
    apply: () => {
      e.mature(now);
      const amount = e.matured;
      const { fee, parts } = splitSettlement(amount, e.terms.feeBps, e.terms.payees);
      const credit = (owner: string, part: bigint) => {
        const key = earningsKey(owner, e.terms.mint);
        const account = books.earnings.get(key);
        if (!account) throw new Error(`model: no earnings for ${key}`);
        account.balance += part;
        account.totalEarned += part;
      };
      credit(books.config.treasury, fee);
      e.terms.payees.forEach((p, i) => credit(p.owner, parts[i]));
      e.matured = 0n;
      e.settled += amount - fee;
      e.fees += fee;
      add(books.paidOut, e.terms.mint, amount);
    },
  };
}

export function predictWithdraw(books: Books, signer: string, owner: string, mint: MintKey, amount: bigint, destinationOwner: string): Prediction {
  const errors: string[] = [];
  if (amount === 0n) errors.push("ZeroAmount");
  const account = books.earnings.get(earningsKey(owner, mint));
  if (!account) return refused([...errors, "AccountNotInitialized"]);
  if (signer !== owner) errors.push("NotEarningsOwner");
  if (amount > account.balance) errors.push("InsufficientEarnings");
  return {
    errors,
    apply: () => {
      account.balance -= amount;
      account.totalWithdrawn += amount;
      add(books.wallets, walletKey(destinationOwner, mint), amount);
      if (isToken(mint)) add(books.vaults, mint, -amount);
    },
  };
}

export function predictRequestClose(e: EscrowModel, signer: string, now: bigint): Prediction {
  if (e.closed) return refused(["AccountNotInitialized"]);
  const errors: string[] = [];
  if (signer !== e.terms.client) errors.push("NotClient");
  if (e.closingAt !== 0n) errors.push("AlreadyClosing");
  return { errors, apply: () => void (e.closingAt = now + e.terms.window) };
}

export function predictRefund(books: Books, e: EscrowModel, signer: string, now: bigint): Prediction {
  if (e.closed) return refused(["AccountNotInitialized"]);
  const errors: string[] = [];
  if (signer !== e.terms.client) errors.push("NotClient");
  if (now < e.endsAt()) errors.push("EscrowNotEnded");
  const after = e.clone();
  after.mature(now);
  if (after.available === 0n) errors.push("ZeroAmount");
  return {
    errors,
    apply: () => {
      e.mature(now);
      const amount = e.available;
      e.refunded += amount;
      add(books.wallets, walletKey(e.terms.client, e.terms.mint), amount);
      if (isToken(e.terms.mint)) add(books.vaults, e.terms.mint, -amount);
    },
  };
}

export function predictClose(books: Books, e: EscrowModel, signer: string): Prediction {
  if (e.closed) return refused(["AccountNotInitialized"]);
  const errors: string[] = [];
  if (signer !== e.terms.client) errors.push("NotClient");
  if (e.held !== 0n) errors.push("EscrowNotEmpty");
  return {
    errors,
    apply: () => {
      e.closed = true;
      add(books.wallets, walletKey(e.terms.client, "sol"), books.escrowRent);
    },
  };
}

export function predictUpdateConfig(books: Books, feeBps: number, paused: boolean, treasury: string): Prediction {
  const errors = feeBps > MAX_FEE_BPS ? ["FeeTooHigh"] : [];
  return { errors, apply: () => Object.assign(books.config, { feeBps, paused, treasury }) };
}

// ---- helpers ------------------------------------------------------------------------------------------------

export const ZERO_KEY = "11111111111111111111111111111111";

/** 1 to 64 payees, sorted by owner with no repeats, positive shares adding up to 10,000 bps. */
export function validPayees(payees: readonly ModelPayee[]): boolean {
  if (payees.length < 1 || payees.length > 64) return false;
  for (let i = 0; i < payees.length; i++) {
    if (payees[i].shareBps <= 0) return false;
    if (i > 0 && Buffer.compare(payees[i - 1].ownerBytes, payees[i].ownerBytes) >= 0) return false;
  }
  return payees.reduce((sum, p) => sum + p.shareBps, 0) === 10_000;
}

function samePayees(a: readonly ModelPayee[], b: readonly ModelPayee[]): boolean {
  return a.length === b.length && a.every((p, i) => p.owner === b[i].owner && p.shareBps === b[i].shareBps);
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
