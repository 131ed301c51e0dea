// Typed Anchor programs for infergrid, from the generated IDLs (ts-client/src/generated, written by
// `npm run build` from the Rust sources).
import anchor from "@coral-xyz/anchor";
import type { Idl, Program as AnchorProgram, Provider } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";
import escrowIdl from "./generated/escrow.json" with { type: "json" };
import provenanceIdl from "./generated/provenance.json" with { type: "json" };
import rewardsIdl from "./generated/rewards.json" with { type: "json" };
import type { Escrow } from "./generated/escrow.js";
import type { Provenance } from "./generated/provenance.js";
import type { Rewards } from "./generated/rewards.js";
import { EscrowClient } from "./escrow/client.js";
import { ProvenanceClient } from "./provenance/client.js";
import { RewardsClient } from "./rewards/client.js";

export const ESCROW_PROGRAM_ID = new PublicKey(escrowIdl.address);
export const PROVENANCE_PROGRAM_ID = new PublicKey(provenanceIdl.address);
export const REWARDS_PROGRAM_ID = new PublicKey(rewardsIdl.address);

/** An Anchor `Program` for `idl`, at `programId` (a test deployment may live elsewhere). */
function program<T extends Idl>(idl: unknown, provider: Provider, programId: PublicKey): AnchorProgram<T> {
  return new anchor.Program<T>({ ...(idl as T), address: programId.toBase58() }, provider);
}

export function escrowProgram(provider: Provider, programId: PublicKey = ESCROW_PROGRAM_ID): AnchorProgram<Escrow> {
  return program<Escrow>(escrowIdl, provider, programId);
}

export function provenanceProgram(provider: Provider, programId: PublicKey = PROVENANCE_PROGRAM_ID): AnchorProgram<Provenance> {
  return program<Provenance>(provenanceIdl, provider, programId);
}

export function rewardsProgram(provider: Provider, programId: PublicKey = REWARDS_PROGRAM_ID): AnchorProgram<Rewards> {
  return program<Rewards>(rewardsIdl, provider, programId);
}

/** The escrow client over `provider`. */
export function escrowClient(provider: Provider, programId?: PublicKey): EscrowClient {
  return new EscrowClient(escrowProgram(provider, programId));
}

/** The rewards client over `provider`. */
export function rewardsClient(provider: Provider, programId?: PublicKey): RewardsClient {
  return new RewardsClient(rewardsProgram(provider, programId));
}

/** The provenance client over `provider`; records charge the escrow program at `escrowProgramId`. */
export function provenanceClient(provider: Provider, programId?: PublicKey, escrowProgramId: PublicKey = ESCROW_PROGRAM_ID): ProvenanceClient {
  return new ProvenanceClient(provenanceProgram(provider, programId), escrowProgramId);
}
