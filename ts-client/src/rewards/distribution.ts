// An epoch's reward distribution: every supplier's cumulative entitlement, the merkle tree over their
// leaves, proofs, and JSON export/import (docs/rewards.md). Built for a million suppliers: addresses and
// amounts are kept in flat buffers, sorted by radix on a 32-bit prefix, and leaves are hashed into one
// buffer, so nothing allocates per supplier.
import { hash } from "node:crypto";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { PublicKey } from "@solana/web3.js";
import bs58 from "bs58";
import { MerkleTree, verifyProof } from "../merkle.js";
import { U64_MAX, type SupplierKey, hashRewardLeaf, keyBytes } from "./leaf.js";

/** What a supplier earned in one epoch. */
export interface EarnedReward {
  readonly supplier: SupplierKey;
  readonly amount: bigint;
}

/** Earned rewards in columns: `suppliers` holds n addresses of 32 bytes, `amounts` n u64 amounts. */
export interface EarnedColumns {
  readonly suppliers: Uint8Array;
  readonly amounts: BigUint64Array;
}

/** A supplier's cumulative entitlement (what its leaf says). */
export interface Entitlement {
  readonly supplier: SupplierKey;
  readonly cumulativeAmount: bigint;
}

/** Everything a claim needs: the leaf and its proof against the epoch's root. */
export interface RewardClaim {
  readonly distributor: PublicKey;
  readonly epoch: bigint;
  readonly supplier: PublicKey;
  readonly cumulativeAmount: bigint;
  /** The leaf's position in the distribution (suppliers sorted by address bytes). */
  readonly index: number;
  /** Sibling hashes from the leaf up to the root. */
  readonly proof: Buffer[];
}

/** A distribution as JSON: amounts and the epoch as decimal strings, hashes as hex. */
export interface DistributionJson {
  readonly format: "infergrid-rewards-distribution";
  readonly version: 1;
  readonly distributor: string;
  readonly epoch: string;
  readonly root: string;
  readonly maxTotalClaim: string;
  readonly maxNumNodes: string;
  /** [supplier (base58), cumulative amount], sorted by supplier address bytes. */
  readonly leaves: ReadonlyArray<readonly [string, string]>;
  /** Each leaf's proof (hex), when exported with proofs. */
  readonly proofs?: ReadonlyArray<readonly string[]>;
}

/** One supplier's claim as JSON, for handing to the supplier (or whoever claims for it). */
export interface ClaimJson {
  readonly format: "infergrid-rewards-claim";
  readonly version: 1;
  readonly distributor: string;
  readonly epoch: string;
  readonly root: string;
  readonly supplier: string;
  readonly cumulativeAmount: string;
  readonly index: number;
  readonly proof: readonly string[];
}

const sha256 = (data: Buffer): Buffer => hash("sha256", data, "buffer") as unknown as Buffer;

/** What an epoch's distribution is built from. */
export interface BuildParams {
  readonly distributor: PublicKey;
  readonly epoch: bigint;
  /** The previous epoch's distribution (its cumulative amounts); none for a first epoch. */
  readonly previous?: Distribution;
  readonly earned: Iterable<EarnedReward> | EarnedColumns;
}

export class Distribution {
  private constructor(
    readonly distributor: PublicKey,
    readonly epoch: bigint,
    /** The suppliers' addresses, 32 bytes each, strictly ascending (read only). */
    readonly keys: Buffer,
    /** Their cumulative amounts, in the same order (read only). */
    readonly amounts: BigUint64Array,
    private readonly tree: MerkleTree,
    /** Sum of the cumulative amounts: the root's `max_total_claim`. */
    readonly maxTotalClaim: bigint,
  ) {}

  /**
   * The distribution of `epoch`: the previous epoch's cumulative amounts plus what each supplier earned
   * in this one. Suppliers whose cumulative amount is zero get no leaf. Throws on a repeated supplier in
   * `earned`, an amount that is not a u64, a sum past u64, an epoch not after the previous one, or an
   * empty result.
   */
  static build(params: BuildParams): Distribution {
    const merged = prepare(params);
    const tree = MerkleTree.fromLeafHashes(hashLeaves(params.distributor, merged.keys, merged.amounts, 0, merged.amounts.length, Buffer.allocUnsafe(merged.amounts.length * 32)));
    return new Distribution(params.distributor, params.epoch, merged.keys, merged.amounts, tree, merged.total);
  }

  /**
   * As `build`, on `threads` worker threads (default: one per core): each hashes a range of leaves and
   * the subtree levels above it; the few top levels are built here.
   */
  static async buildParallel(params: BuildParams & { readonly threads?: number }): Promise<Distribution> {
    const merged = prepare(params);
    const levels = await hashLevelsParallel(params.distributor, merged.keys, merged.amounts, params.threads ?? availableParallelism());
    return new Distribution(params.distributor, params.epoch, merged.keys, merged.amounts, MerkleTree.fromLevels(levels), merged.total);
  }

  /** A distribution straight from cumulative entitlements (e.g. a first epoch, or a correction). */
  static fromEntitlements(params: { readonly distributor: PublicKey; readonly epoch: bigint; readonly entitlements: Iterable<Entitlement> }): Distribution {
    const earned = [...params.entitlements].map((e) => ({ supplier: e.supplier, amount: e.cumulativeAmount }));
    return Distribution.build({ distributor: params.distributor, epoch: params.epoch, earned });
  }

  /** Rebuilds a distribution from its JSON and checks root and totals against it. */
  static fromJSON(json: DistributionJson): Distribution {
    if (json.format !== "infergrid-rewards-distribution" || json.version !== 1) throw new Error("not an infergrid rewards distribution (version 1)");
    const n = json.leaves.length;
    const suppliers = Buffer.allocUnsafe(n * 32);
    const amounts = new BigUint64Array(n);
    json.leaves.forEach(([supplier, amount], i) => {
      suppliers.set(bs58.decode(supplier), i * 32);
      amounts[i] = parseU64(amount);
    });
    const distribution = Distribution.build({
      distributor: new PublicKey(json.distributor),
      epoch: BigInt(json.epoch),
      earned: { suppliers, amounts },
    });
    if (distribution.size !== n) throw new Error("the JSON lists a supplier twice or a zero amount");
    if (distribution.root.toString("hex") !== json.root.toLowerCase()) throw new Error("the JSON's root does not match its leaves");
    if (distribution.maxTotalClaim !== BigInt(json.maxTotalClaim) || BigInt(distribution.size) !== BigInt(json.maxNumNodes)) {
      throw new Error("the JSON's totals do not match its leaves");
    }
    return distribution;
  }

  /** Number of leaves: the root's `max_num_nodes`. */
  get size(): number {
    return this.amounts.length;
  }

  get maxNumNodes(): bigint {
    return BigInt(this.size);
  }

  get root(): Buffer {
    return this.tree.root;
  }

  get depth(): number {
    return this.tree.depth;
  }

  /** The leaf index of a supplier, or -1 (binary search over the sorted addresses). */
  indexOf(supplier: SupplierKey): number {
    const key = Buffer.from(keyBytes(supplier));
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = this.keys.compare(key, 0, 32, mid * 32, mid * 32 + 32);
      if (cmp === 0) return mid;
      if (cmp < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  supplierAt(index: number): PublicKey {
    this.checkIndex(index);
    return new PublicKey(this.keys.subarray(index * 32, index * 32 + 32));
  }

  amountAt(index: number): bigint {
    this.checkIndex(index);
    return this.amounts[index];
  }

  /** A supplier's cumulative entitlement (0 when it has no leaf). */
  amountOf(supplier: SupplierKey): bigint {
    const index = this.indexOf(supplier);
    return index < 0 ? 0n : this.amounts[index];
  }

  /** The claim of the leaf at `index`, proof copied out of the tree. */
  claimAt(index: number): RewardClaim {
    this.checkIndex(index);
    return {
      distributor: this.distributor,
      epoch: this.epoch,
      supplier: this.supplierAt(index),
      cumulativeAmount: this.amounts[index],
      index,
      proof: this.tree.proof(index).map((h) => Buffer.from(h)),
    };
  }

  /** A supplier's claim, or null when it has no leaf. */
  claimFor(supplier: SupplierKey): RewardClaim | null {
    const index = this.indexOf(supplier);
    return index < 0 ? null : this.claimAt(index);
  }

  /** Every leaf, in order. */
  *entries(): IterableIterator<{ readonly supplier: PublicKey; readonly cumulativeAmount: bigint }> {
    for (let i = 0; i < this.size; i++) yield { supplier: this.supplierAt(i), cumulativeAmount: this.amounts[i] };
  }

  /**
   * Recomputes every leaf from (distributor, supplier, amount) with the reference leaf encoding and
   * checks its proof against the root; returns the indices that fail (none for a sound distribution).
   */
  verifyAllProofs(): number[] {
    const failed: number[] = [];
    const root = this.root;
    for (let i = 0; i < this.size; i++) {
      const leaf = hashRewardLeaf(this.distributor, this.keys.subarray(i * 32, i * 32 + 32), this.amounts[i]);
      if (!verifyProof(leaf, this.tree.proof(i), root)) failed.push(i);
    }
    return failed;
  }

  toJSON(options: { readonly proofs?: boolean } = {}): DistributionJson {
    const leaves: [string, string][] = [];
    for (let i = 0; i < this.size; i++) leaves.push([bs58.encode(this.keys.subarray(i * 32, i * 32 + 32)), this.amounts[i].toString()]);
    const proofs = options.proofs ? leaves.map((_, i) => this.tree.proof(i).map((h) => h.toString("hex"))) : undefined;
    return {
      format: "infergrid-rewards-distribution",
      version: 1,
      distributor: this.distributor.toBase58(),
      epoch: this.epoch.toString(),
      root: this.root.toString("hex"),
      maxTotalClaim: this.maxTotalClaim.toString(),
      maxNumNodes: this.size.toString(),
      leaves,
      ...(proofs ? { proofs } : {}),
    };
  }

  /** One supplier's claim as JSON; null when it has no leaf. */
  claimJSON(supplier: SupplierKey): ClaimJson | null {
    const claim = this.claimFor(supplier);
    if (!claim) return null;
    return {
      format: "infergrid-rewards-claim",
      version: 1,
      distributor: this.distributor.toBase58(),
      epoch: this.epoch.toString(),
      root: this.root.toString("hex"),
      supplier: claim.supplier.toBase58(),
      cumulativeAmount: claim.cumulativeAmount.toString(),
      index: claim.index,
      proof: claim.proof.map((h) => h.toString("hex")),
    };
  }

  private checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`leaf ${index} is not in a distribution of ${this.size}`);
  }
}

/** A claim read from its JSON, checked to verify against the root it names. */
export function claimFromJSON(json: ClaimJson): RewardClaim & { readonly root: Buffer } {
  if (json.format !== "infergrid-rewards-claim" || json.version !== 1) throw new Error("not an infergrid rewards claim (version 1)");
  const claim = {
    distributor: new PublicKey(json.distributor),
    epoch: BigInt(json.epoch),
    supplier: new PublicKey(json.supplier),
    cumulativeAmount: parseU64(json.cumulativeAmount),
    index: json.index,
    proof: json.proof.map((h) => Buffer.from(h, "hex")),
    root: Buffer.from(json.root, "hex"),
  };
  const leaf = hashRewardLeaf(claim.distributor, claim.supplier, claim.cumulativeAmount);
  if (!verifyProof(leaf, claim.proof, claim.root)) throw new Error("the claim's proof does not verify against its root");
  return claim;
}

function parseU64(text: string): bigint {
  const value = BigInt(text);
  if (value < 0n || value > U64_MAX) throw new RangeError(`${text} is not a u64`);
  return value;
}

/** Checks the parameters and merges previous and earned amounts: the leaves, in order, and their total. */
function prepare(params: BuildParams): { keys: Buffer; amounts: BigUint64Array; total: bigint } {
  const { distributor, epoch, previous } = params;
  if (epoch <= 0n || epoch > U64_MAX) throw new RangeError(`epoch ${epoch} must be a positive u64`);
  if (previous) {
    if (!previous.distributor.equals(distributor)) throw new Error("the previous distribution belongs to another distributor");
    if (epoch <= previous.epoch) throw new RangeError(`epoch ${epoch} must be greater than the previous ${previous.epoch}`);
  }
  const earned = columns(params.earned);
  const merged = merge(previous, earned, sortedOrder(earned.keys, earned.amounts.length));
  if (merged.count === 0) throw new Error("nothing to distribute: every cumulative amount is zero");
  const keys = merged.keys.subarray(0, merged.count * 32);
  const amounts = merged.amounts.subarray(0, merged.count);
  let total = 0n;
  for (let i = 0; i < amounts.length; i++) total += amounts[i];
  if (total > U64_MAX) throw new RangeError(`the total entitlement ${total} does not fit the root's u64 max_total_claim`);
  return { keys, amounts, total };
}

/** The earned rewards as flat columns (addresses checked to be 32 bytes, amounts to be u64). */
function columns(earned: Iterable<EarnedReward> | EarnedColumns): { keys: Buffer; amounts: BigUint64Array } {
  if ("suppliers" in earned && "amounts" in earned) {
    const { suppliers, amounts } = earned as EarnedColumns;
    if (suppliers.length !== amounts.length * 32) throw new Error("earned columns: 32 address bytes per amount expected");
    return { keys: Buffer.from(suppliers.buffer, suppliers.byteOffset, suppliers.length), amounts };
  }
  const list = Array.isArray(earned) ? (earned as readonly EarnedReward[]) : [...(earned as Iterable<EarnedReward>)];
  const keys = Buffer.allocUnsafe(list.length * 32);
  const amounts = new BigUint64Array(list.length);
  list.forEach((e, i) => {
    if (e.amount < 0n || e.amount > U64_MAX) throw new RangeError(`earned amount ${e.amount} is not a u64`);
    keys.set(keyBytes(e.supplier), i * 32);
    amounts[i] = e.amount;
  });
  return { keys, amounts };
}

/**
 * Indices of `n` 32-byte keys in ascending byte order: an LSD radix sort (two 16-bit passes) on the
 * big-endian 32-bit prefix, then runs of equal prefixes sorted by full comparison.
 */
function sortedOrder(keys: Buffer, n: number): { order: Uint32Array; prefix: Uint32Array } {
  const prefix = new Uint32Array(n);
  for (let i = 0; i < n; i++) prefix[i] = keys.readUInt32BE(i * 32);
  let order = new Uint32Array(n);
  let scratch = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const counts = new Uint32Array(65537);
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((prefix[i] >>> shift) & 0xffff) + 1]++;
    for (let b = 0; b < 65536; b++) counts[b + 1] += counts[b];
    for (let i = 0; i < n; i++) {
      const index = order[i];
      scratch[counts[(prefix[index] >>> shift) & 0xffff]++] = index;
    }
    [order, scratch] = [scratch, order];
  }
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && prefix[order[end]] === prefix[order[start]]) end++;
    if (end - start > 1) {
      order.subarray(start, end).sort((a, b) => keys.compare(keys, b * 32, b * 32 + 32, a * 32, a * 32 + 32));
    }
    start = end;
  }
  return { order, prefix };
}

/** Previous cumulative amounts plus earned ones, in address order, zero amounts dropped. */
function merge(
  previous: Distribution | undefined,
  earned: { keys: Buffer; amounts: BigUint64Array },
  sorted: { order: Uint32Array; prefix: Uint32Array },
): { keys: Buffer; amounts: BigUint64Array; count: number } {
  const { order, prefix } = sorted;
  const prev = previous ?? { keys: Buffer.alloc(0), amounts: new BigUint64Array(0) };
  const prevCount = prev.amounts.length;
  const earnedCount = order.length;
  const keys = Buffer.alloc((prevCount + earnedCount) * 32);
  const amounts = new BigUint64Array(prevCount + earnedCount);
  // keys are copied as eight 32-bit words, and compared by their first four bytes before in full:
  // typed-array element accesses beat a native call per key
  const out = words(keys);
  const prevWords = words(prev.keys);
  const earnedWords = words(earned.keys);
  let i = 0;
  let j = 0;
  let count = 0;
  while (i < prevCount || j < earnedCount) {
    const e = j < earnedCount ? order[j] : 0;
    let cmp: number;
    if (i >= prevCount) cmp = 1;
    else if (j >= earnedCount) cmp = -1;
    else {
      const [p, q] = [prev.keys.readUInt32BE(i * 32), prefix[e]];
      if (p !== q) cmp = p < q ? -1 : 1;
      else if (sameKey(prevWords, i, earnedWords, e)) cmp = 0;
      else cmp = prev.keys.compare(earned.keys, e * 32, e * 32 + 32, i * 32, i * 32 + 32);
    }
    let amount: bigint;
    if (cmp < 0) {
      copyKey(prevWords, i, out, count);
      amount = prev.amounts[i++];
    } else {
      const f = order[j + 1];
      if (j + 1 < earnedCount && prefix[f] === prefix[e] && sameKey(earnedWords, f, earnedWords, e)) {
        throw new Error(`supplier ${bs58.encode(earned.keys.subarray(e * 32, e * 32 + 32))} is listed twice in the earned rewards`);
      }
      copyKey(earnedWords, e, out, count);
      amount = earned.amounts[e];
      j++;
      if (cmp === 0) {
        amount += prev.amounts[i++];
        if (amount > U64_MAX) throw new RangeError(`the cumulative amount of ${bs58.encode(keys.subarray(count * 32, count * 32 + 32))} passes u64`);
      }
    }
    if (amount === 0n) continue;
    amounts[count++] = amount;
  }
  return { keys, amounts, count };
}

/** A buffer of 32-byte keys as 32-bit words (copied when it is not 4-byte aligned). */
function words(keys: Buffer): Uint32Array {
  const aligned = keys.byteOffset % 4 === 0 ? keys : Buffer.from(keys);
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
}

function sameKey(a: Uint32Array, at: number, b: Uint32Array, bt: number): boolean {
  for (let w = 0; w < 8; w++) if (a[at * 8 + w] !== b[bt * 8 + w]) return false;
  return true;
}

function copyKey(from: Uint32Array, at: number, to: Uint32Array, into: number): void {
  const [src, dst] = [at * 8, into * 8];
  for (let w = 0; w < 8; w++) to[dst + w] = from[src + w];
}

/** sha256(0x00 ++ distributor ++ supplier ++ amount LE) of leaves `from..to`, into `out`. */
function hashLeaves(distributor: PublicKey, keys: Uint8Array, amounts: BigUint64Array, from: number, to: number, out: Buffer): Buffer {
  const preimage = Buffer.alloc(1 + 72);
  preimage.set(distributor.toBytes(), 1);
  // the amounts' memory is their u64 LE encoding on a little-endian host
  const amountBytes = new Uint8Array(amounts.buffer, amounts.byteOffset, amounts.byteLength);
  for (let i = from; i < to; i++) {
    for (let b = 0; b < 32; b++) preimage[33 + b] = keys[i * 32 + b];
    if (LITTLE_ENDIAN) for (let b = 0; b < 8; b++) preimage[65 + b] = amountBytes[i * 8 + b];
    else preimage.writeBigUInt64LE(amounts[i], 65);
    sha256(preimage).copy(out, i * 32);
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Levels a worker builds above its leaves (its range is a multiple of 2^LOWER_LEVELS leaves). */
const LOWER_LEVELS = 10;

/**
 * A worker script (plain JavaScript, so it runs without a TypeScript loader): hashes leaves `from..to`
 * as `hashLeaves` does, then the levels above them up to LOWER_LEVELS, pairs ordered by their bytes and an
 * odd last node moved up (docs/merkle.md). Keys, amounts (little-endian u64) and every level live in
 * SharedArrayBuffers; `from` is a multiple of 2^LOWER_LEVELS, so the ranges pair up exactly as the whole.
 */
const HASH_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { hash } = require("node:crypto");
const { keys, amounts, levels, distributor, from, to } = workerData;
const k = new Uint8Array(keys);
const a = new Uint8Array(amounts);
const leaves = Buffer.from(levels[0]);
const preimage = Buffer.alloc(73);
preimage.set(distributor, 1);
for (let i = from; i < to; i++) {
  for (let b = 0; b < 32; b++) preimage[33 + b] = k[i * 32 + b];
  for (let b = 0; b < 8; b++) preimage[65 + b] = a[i * 8 + b];
  hash("sha256", preimage, "buffer").copy(leaves, i * 32);
}
const pair = Buffer.alloc(65);
pair[0] = 1;
let [lo, hi] = [from, to];
for (let l = 1; l < levels.length; l++) {
  const below = Buffer.from(levels[l - 1]);
  const level = Buffer.from(levels[l]);
  for (let i = lo; i + 1 < hi; i += 2) {
    const x = i * 32;
    let first = true;
    for (let b = 0; b < 32; b++) {
      const d = below[x + b] - below[x + 32 + b];
      if (d !== 0) { first = d < 0; break; }
    }
    below.copy(pair, first ? 1 : 33, x, x + 32);
    below.copy(pair, first ? 33 : 1, x + 32, x + 64);
    hash("sha256", pair, "buffer").copy(level, (i >> 1) * 32);
  }
  if ((hi - lo) % 2 === 1) below.copy(level, (hi >> 1) * 32, (hi - 1) * 32, hi * 32); // the odd last node moves up
  lo = lo >> 1;
  hi = Math.ceil(hi / 2);
}
parentPort.postMessage(to - from);
`;

/** The tree's lower levels (leaves first) of the distribution's leaves, hashed on worker threads. */
async function hashLevelsParallel(distributor: PublicKey, keys: Buffer, amounts: BigUint64Array, threads: number): Promise<Buffer[]> {
  const count = amounts.length;
  const block = 2 ** LOWER_LEVELS;
  const workers = LITTLE_ENDIAN ? Math.max(1, Math.min(threads, Math.floor(count / (4 * block)))) : 1;
  if (workers === 1) return [hashLeaves(distributor, keys, amounts, 0, count, Buffer.allocUnsafe(count * 32))];
  const sharedKeys = new SharedArrayBuffer(keys.length);
  new Uint8Array(sharedKeys).set(keys);
  const sharedAmounts = new SharedArrayBuffer(amounts.byteLength);
  new BigUint64Array(sharedAmounts).set(amounts);
  const levels: SharedArrayBuffer[] = [];
  for (let l = 0, n = count; l <= LOWER_LEVELS; l++, n = Math.ceil(n / 2)) levels.push(new SharedArrayBuffer(n * 32));
  const share = Math.ceil(count / workers / block) * block;
  await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const [from, to] = [w * share, Math.min(count, (w + 1) * share)];
      const workerData = { keys: sharedKeys, amounts: sharedAmounts, levels, distributor: distributor.toBytes(), from, to };
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(HASH_WORKER, { eval: true, workerData });
        worker.once("message", () => resolve());
        worker.once("error", reject);
        worker.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`leaf hashing worker exited with ${code}`))));
      });
    }),
  );
  return levels.map((level) => Buffer.from(level));
}
