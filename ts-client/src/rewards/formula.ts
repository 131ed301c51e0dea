// The epoch reward formula (docs/rewards.md, "Reward formula"): an epoch's budget split between suppliers
// for the work they delivered (units) and the uptime of their nodes, in integer arithmetic only, so the
// amounts always add up to the budget exactly and every run gives the same result.
import { PublicKey } from "@solana/web3.js";
import { U64_MAX, type SupplierKey, keyBytes } from "./leaf.js";
import type { EarnedReward } from "./distribution.js";

/** Basis points in a whole. */
export const BPS = 10_000n;

/** One node's recorded work in an epoch (provenance: inference records and the node registry). */
export interface NodeWork {
  /** The node's account (for error messages; not used by the formula). */
  readonly node?: SupplierKey;
  /** The node's owner wallet: the supplier the rewards go to. */
  readonly owner: SupplierKey;
  /** Units (tokens or GPU-seconds) of the node's inference records in the epoch. */
  readonly units: bigint;
  /** Seconds the node was up in the epoch (capped at the epoch's length). */
  readonly uptimeSeconds: bigint;
}

/** One supplier's work in an epoch, its nodes added up. */
export interface SupplierWork {
  readonly supplier: SupplierKey;
  readonly units: bigint;
  /** Node-seconds of uptime: the sum over its nodes, at most `nodes * epochSeconds`. */
  readonly uptimeSeconds: bigint;
  /** Nodes registered (and not retired) during the epoch. */
  readonly nodes: bigint;
}

/** The recorded work of an epoch, the formula's whole input. */
export interface EpochWork {
  readonly epoch: bigint;
  /** Length of the epoch in seconds. */
  readonly epochSeconds: bigint;
  readonly suppliers: readonly SupplierWork[];
}

/** Where recorded work comes from: the indexer implements it over its provenance tables. */
export interface RecordedWorkSource {
  /** Every node active in `epoch` with its units and uptime, and the epoch's length. */
  epochWork(epoch: bigint): Promise<{ readonly epochSeconds: bigint; readonly nodes: Iterable<NodeWork> }>;
}

/** How an epoch's budget is split. */
export interface RewardPolicy {
  /** Base units of the reward mint (lamports for SOL) to distribute this epoch. */
  readonly budget: bigint;
  /** Part of the budget paid for work (by units), in basis points; the rest pays uptime. */
  readonly workShareBps: bigint;
  /** Uptime ratio (node-seconds over nodes times the epoch) below which a supplier earns no uptime reward, in bps. */
  readonly minUptimeBps: bigint;
}

/** What the formula gave for an epoch. */
export interface EpochRewards {
  readonly epoch: bigint;
  /** Positive rewards, sorted by supplier address bytes. */
  readonly rewards: readonly EarnedReward[];
  readonly workPool: bigint;
  readonly uptimePool: bigint;
  /** Sum of `rewards`: the budget, or 0 when nobody worked or was up. */
  readonly distributed: bigint;
  /** What stays in the treasury: the budget when nobody qualified, else 0. */
  readonly undistributed: bigint;
}

/** Adds up node work per owner; each node's uptime is capped at the epoch's length. */
export function aggregateNodeWork(epochSeconds: bigint, nodes: Iterable<NodeWork>): SupplierWork[] {
  if (epochSeconds <= 0n) throw new RangeError("the epoch must last at least one second");
  const bySupplier = new Map<string, { supplier: Uint8Array; units: bigint; uptimeSeconds: bigint; nodes: bigint }>();
  for (const node of nodes) {
    if (node.units < 0n || node.uptimeSeconds < 0n) throw new RangeError(`node ${describe(node.node ?? node.owner)}: negative units or uptime`);
    const supplier = keyBytes(node.owner);
    const id = Buffer.from(supplier).toString("hex");
    const entry = bySupplier.get(id) ?? { supplier, units: 0n, uptimeSeconds: 0n, nodes: 0n };
    entry.units += node.units;
    entry.uptimeSeconds += node.uptimeSeconds < epochSeconds ? node.uptimeSeconds : epochSeconds;
    entry.nodes += 1n;
    bySupplier.set(id, entry);
  }
  return [...bySupplier.values()];
}

/**
 * The epoch's rewards:
 * - the work pool, `budget * workShareBps / 10,000` rounded down, is split by units;
 * - the uptime pool, the rest, is split by node-seconds among suppliers whose uptime ratio is at least
 *   `minUptimeBps`;
 * - a pool whose weights add up to zero goes to the other pool; when both do, nothing is distributed.
 * Each split gives every supplier `pool * weight / total` rounded down, then hands the remainder out one
 * base unit at a time by largest fractional part (ties: lower address first), so it is exact.
 */
export function computeEpochRewards(work: EpochWork, policy: RewardPolicy): EpochRewards {
  const { budget, workShareBps, minUptimeBps } = policy;
  if (budget < 0n || budget > U64_MAX) throw new RangeError(`budget ${budget} is not a u64`);
  if (workShareBps < 0n || workShareBps > BPS) throw new RangeError("workShareBps must be within 0..10,000");
  if (minUptimeBps < 0n || minUptimeBps > BPS) throw new RangeError("minUptimeBps must be within 0..10,000");
  if (work.epochSeconds <= 0n) throw new RangeError("the epoch must last at least one second");

  const suppliers = work.suppliers.map((s) => ({ key: Buffer.from(keyBytes(s.supplier)), work: s }));
  suppliers.sort((a, b) => Buffer.compare(a.key, b.key));
  const units: bigint[] = [];
  const uptime: bigint[] = [];
  suppliers.forEach(({ key, work: s }, i) => {
    if (i > 0 && key.equals(suppliers[i - 1].key)) throw new Error(`supplier ${describe(key)} is listed twice`);
    if (s.units < 0n || s.uptimeSeconds < 0n || s.nodes < 0n) throw new RangeError(`supplier ${describe(key)}: negative work`);
    const possible = s.nodes * work.epochSeconds;
    if (s.uptimeSeconds > possible) throw new RangeError(`supplier ${describe(key)}: uptime above its nodes times the epoch`);
    units.push(s.units);
    const qualifies = s.nodes > 0n && s.uptimeSeconds * BPS >= minUptimeBps * possible;
    uptime.push(qualifies ? s.uptimeSeconds : 0n);
  });

  let workPool = (budget * workShareBps) / BPS;
  let uptimePool = budget - workPool;
  const totalUnits = units.reduce((a, b) => a + b, 0n);
  const totalUptime = uptime.reduce((a, b) => a + b, 0n);
  if (totalUnits === 0n) {
    uptimePool += workPool;
    workPool = 0n;
  }
  if (totalUptime === 0n) {
    workPool += uptimePool;
    uptimePool = 0n;
  }
  if (totalUnits === 0n && totalUptime === 0n) {
    return { epoch: work.epoch, rewards: [], workPool: 0n, uptimePool: 0n, distributed: 0n, undistributed: budget };
  }
  const fromWork = splitProRata(workPool, units);
  const fromUptime = splitProRata(uptimePool, uptime);
  const rewards: EarnedReward[] = [];
  let distributed = 0n;
  suppliers.forEach(({ key }, i) => {
    const amount = fromWork[i] + fromUptime[i];
    if (amount > 0n) rewards.push({ supplier: new PublicKey(key), amount });
    distributed += amount;
  });
  return { epoch: work.epoch, rewards, workPool, uptimePool, distributed, undistributed: budget - distributed };
}

/** Reads an epoch's work from a source and computes its rewards. */
export async function epochRewardsFromSource(source: RecordedWorkSource, epoch: bigint, policy: RewardPolicy): Promise<EpochRewards> {
  const { epochSeconds, nodes } = await source.epochWork(epoch);
  return computeEpochRewards({ epoch, epochSeconds, suppliers: aggregateNodeWork(epochSeconds, nodes) }, policy);
}

/**
 * Splits `pool` in proportion to `weights` exactly (largest remainder): `pool * w / W` rounded down,
 * then one more unit to each of the `pool - sum` largest remainders, earlier index first on ties (the
 * callers order by address). Zero weights get nothing; all-zero weights give all zeros.
 */
export function splitProRata(pool: bigint, weights: readonly bigint[]): bigint[] {
  const total = weights.reduce((a, b) => a + b, 0n);
  if (total === 0n || pool === 0n) return weights.map(() => 0n);
  const shares = weights.map((w) => (pool * w) / total);
  let left = pool - shares.reduce((a, b) => a + b, 0n);
  if (left > 0n) {
    const remainders = weights.map((w, i) => ({ i, r: (pool * w) % total }));
    remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
    for (const { i } of remainders) {
      if (left === 0n) break;
      shares[i] += 1n;
      left -= 1n;
    }
  }
  return shares;
}

function describe(key: SupplierKey): string {
  try {
    return new PublicKey(keyBytes(key)).toBase58();
  } catch {
    return String(key);
  }
}
