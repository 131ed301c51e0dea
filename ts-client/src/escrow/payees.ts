// Payee lists: the program stores sha256 of the borsh-encoded list, sorted by owner, and `settle`
// must present the same list.
import { createHash } from "node:crypto";
import type { PublicKey } from "@solana/web3.js";

export interface Payee {
  readonly owner: PublicKey;
  /** Share in basis points; a list adds up to 10,000. */
  readonly shareBps: number;
}

/** The list in the order the program requires (owners ascending, byte-wise). */
export function sortPayees(payees: readonly Payee[]): Payee[] {
  return [...payees].sort((a, b) => Buffer.compare(a.owner.toBuffer(), b.owner.toBuffer()));
}

/** Equal shares for `owners`; the rounding remainder goes to the first payee after sorting. */
export function equalShares(owners: readonly PublicKey[]): Payee[] {
  const sorted = sortPayees(owners.map((owner) => ({ owner, shareBps: 0 })));
  const base = Math.floor(10_000 / sorted.length);
  return sorted.map((p, i) => ({ owner: p.owner, shareBps: base + (i === 0 ? 10_000 - base * sorted.length : 0) }));
}

/** sha256 of the borsh `Vec<Payee>` (u32 count, then owner and u16 share per payee). */
export function payeesHash(payees: readonly Payee[]): Buffer {
  const body = Buffer.alloc(4 + payees.length * 34);
  body.writeUInt32LE(payees.length, 0);
  payees.forEach((p, i) => {
    p.owner.toBuffer().copy(body, 4 + i * 34);
    body.writeUInt16LE(p.shareBps, 4 + i * 34 + 32);
  });
  return createHash("sha256").update(body).digest();
}
