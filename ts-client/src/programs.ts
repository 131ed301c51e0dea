// Typed Anchor programs for infergrid, from the generated IDLs (ts-client/src/generated, written by
// `npm run build` from the Rust sources).
import anchor from "@coral-xyz/anchor";
import type { Program as AnchorProgram, Provider } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import escrowIdl from "./generated/escrow.json" with { type: "json" };
import type { Escrow } from "./generated/escrow.js";
import { EscrowClient } from "./escrow/client.js";

export const ESCROW_PROGRAM_ID = new PublicKey(escrowIdl.address);

/** The escrow program's Anchor `Program` (at another address when `programId` is given). */
export function escrowProgram(provider: Provider, programId: PublicKey = ESCROW_PROGRAM_ID): AnchorProgram<Escrow> {
  const idl = { ...(escrowIdl as unknown as Escrow), address: programId.toBase58() };
  return new anchor.Program<Escrow>(idl, provider);
}

/** The escrow client over `provider`. */
export function escrowClient(provider: Provider, programId?: PublicKey): EscrowClient {
  return new EscrowClient(escrowProgram(provider, programId));
}
