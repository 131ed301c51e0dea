// A cluster's payee list: the TypeScript twin of `Cluster::payees` (programs/provenance/src/state.rs).
// Escrows for a cluster must pay exactly this list; `ClusterActivated.payees` carries it too.
import type { PublicKey } from "@solana/web3.js";
import { type Payee, sortPayees } from "../escrow/payees.js";

/** A member of a cluster: its node, the node's owner (who is paid) and its share. */
export interface ClusterMemberShare {
  readonly node: PublicKey;
  readonly owner: PublicKey;
  readonly shareBps: number;
}

/** The owners of `members`, ascending, each with the sum of its nodes' shares. */
export function clusterPayees(members: readonly ClusterMemberShare[]): Payee[] {
  const byOwner = new Map<string, Payee>();
  for (const m of members) {
    const key = m.owner.toBase58();
    const seen = byOwner.get(key);
    byOwner.set(key, { owner: m.owner, shareBps: (seen?.shareBps ?? 0) + m.shareBps });
  }
  return sortPayees([...byOwner.values()]);
}

/** Shares in basis points for `count` members, as equal as possible, adding up to 10,000. */
export function equalShareBps(count: number): number[] {
  const base = Math.floor(10_000 / count);
  return Array.from({ length: count }, (_, i) => base + (i < 10_000 - base * count ? 1 : 0));
}
