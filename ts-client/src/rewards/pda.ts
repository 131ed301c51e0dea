// Addresses the rewards program derives (seeds as in programs/rewards/src/state.rs).
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
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

/** A supplier's claim status PDA: ["claim_status", distributor, supplier]. */
export function claimStatusAddress(programId: PublicKey, distributor: PublicKey, supplier: PublicKey): PublicKey {
  return claimStatusPda(programId, distributor, supplier)[0];
}

/** A supplier's claim status PDA and its canonical bump (the `claim` instruction takes the bump). */
export function claimStatusPda(programId: PublicKey, distributor: PublicKey, supplier: PublicKey): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([seed("claim_status"), distributor.toBuffer(), supplier.toBuffer()], programId);
}
