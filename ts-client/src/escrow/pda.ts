// Addresses the escrow program derives (seeds as in programs/escrow/src/state.rs).
import { PublicKey } from "@solana/web3.js";

/** The `mint` of an escrow or earnings account funded in SOL. */
export const SOL_MINT = PublicKey.default;

const seed = (s: string) => Buffer.from(s, "utf8");

/** Config PDA: ["config"]. */
export function configAddress(programId: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("config")], programId)[0];
}

/** A supplier's (or the treasury's) earnings PDA for a mint: ["earnings", owner, mint]. */
export function earningsAddress(programId: PublicKey, owner: PublicKey, mint: PublicKey = SOL_MINT): PublicKey {
  return PublicKey.findProgramAddressSync([seed("earnings"), owner.toBuffer(), mint.toBuffer()], programId)[0];
}

/** The vault state PDA of a token mint: ["mint_vault", mint]. */
export function mintVaultAddress(programId: PublicKey, mint: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("mint_vault"), mint.toBuffer()], programId)[0];
}

/** The vault token account PDA of a mint: ["vault", mint]. */
export function vaultAddress(programId: PublicKey, mint: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("vault"), mint.toBuffer()], programId)[0];
}

/** BPFLoaderUpgradeable's ProgramData address of a program (holds its upgrade authority). */
export function programDataAddress(programId: PublicKey): PublicKey {
  const loader = new PublicKey("BPFLoaderUpgradeab1e11111111111111111111111");
  return PublicKey.findProgramAddressSync([programId.toBuffer()], loader)[0];
}
