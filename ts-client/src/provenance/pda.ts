// Addresses the provenance program derives (seeds as in programs/provenance/src/state.rs).
import { PublicKey } from "@solana/web3.js";

const seed = (s: string) => Buffer.from(s, "utf8");

/**
 * The meter PDA ["meter"]: signs provenance's escrow charges. An escrow that takes proven charges names it
 * as `program_meter` (and as `provider_meter` too when every charge must carry a proof).
 */
export function meterAddress(programId: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("meter")], programId)[0];
}

/** The event authority PDA ["__event_authority"]: signs the program's `emit_cpi` self-invocations. */
export function eventAuthorityAddress(programId: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("__event_authority")], programId)[0];
}
