// Addresses the rewards program derives (seeds as in programs/rewards/src/state.rs).
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { createHash } from "node:crypto";
import { PublicKey } from "@solana/web3.js";
import { SOL_MINT } from "../escrow/pda.js";

const seed = (s: string) => Buffer.from(s, "utf8");

function u64le(value: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(value);
  return out;
}

/** A distributor PDA: ["distributor", mint (zero for SOL), creator, id (u64 LE)]. */
export function distributorAddress(programId: PublicKey, creator: PublicKey, id: bigint, mint: PublicKey = SOL_MINT): PublicKey {
  return PublicKey.findProgramAddressSync([seed("distributor"), mint.toBuffer(), creator.toBuffer(), u64le(id)], programId)[0];
}

/** A token distributor's vault: the distributor's associated token account for the mint. */
export function rewardsVaultAddress(distributor: PublicKey, mint: PublicKey, tokenProgram: PublicKey): PublicKey {
  return getAssociatedTokenAddressSync(mint, distributor, true, tokenProgram);
}

/**
 * A supplier's claim status: the address with seed (base: the distributor; seed: lowercase hex of the
 * supplier's first 16 bytes; owner: the rewards program), as System Program's CreateAccountWithSeed
 * derives it. No bump: one address per (distributor, supplier).
 */
export function claimStatusAddress(programId: PublicKey, distributor: PublicKey, supplier: PublicKey): PublicKey {
  return addressWithSeed(distributor, claimStatusSeed(supplier), programId);
}

/** `PublicKey.createWithSeed`, synchronously: sha256(base ++ seed ++ owner). */
export function addressWithSeed(base: PublicKey, seed: string, owner: PublicKey): PublicKey {
  return new PublicKey(createHash("sha256").update(base.toBuffer()).update(seed).update(owner.toBuffer()).digest());
}

/** The seed of a supplier's claim status address (programs/rewards/src/state.rs `claim_status_seed`). */
export function claimStatusSeed(supplier: PublicKey): string {
  return supplier.toBuffer().subarray(0, 16).toString("hex");
}
