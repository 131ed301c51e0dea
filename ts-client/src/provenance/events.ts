// Provenance events are emitted in Anchor's `emit_cpi` form: a self-invocation of the program whose data
// is EVENT_IX_TAG ++ event discriminator ++ borsh. They are read from a transaction's inner instructions
// (they survive log truncation), decoded with the IDL's coder.
import anchor from "@coral-xyz/anchor";
import type { PublicKey } from "@solana/web3.js";

/** Anchor's tag of an `emit_cpi` self-invocation: sha256("anchor:event")[..8]. */
export const EVENT_IX_TAG = Buffer.from("e445a52e51cb9a1d", "hex");

/** An inner instruction as an RPC or the test harness reports it. */
export interface InnerInstructionLike {
  readonly programId?: PublicKey;
  readonly data: Uint8Array;
}

/** A decoded provenance event: its IDL name (camelCase) and fields (u64 as BN, addresses as PublicKey). */
export interface ProvenanceEvent {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

type EventCoder = InstanceType<typeof anchor.BorshCoder>["events"];

/**
 * The events `programId` emitted among `inner` (one instruction's inner instructions, or a transaction's
 * groups of them), in order. Only the program itself can run one of these (its event authority signs), so
 * an inner instruction of the program carrying the tag is one of its events; other data is ignored.
 */
export function decodeEvents(
  coder: EventCoder,
  programId: PublicKey,
  inner: readonly InnerInstructionLike[] | readonly (readonly InnerInstructionLike[])[],
): ProvenanceEvent[] {
  const flat = (inner as readonly unknown[]).flat() as InnerInstructionLike[];
  const events: ProvenanceEvent[] = [];
  for (const ix of flat) {
    if (!ix.programId?.equals(programId)) continue;
    const data = Buffer.from(ix.data);
    if (data.length < 16 || !data.subarray(0, 8).equals(EVENT_IX_TAG)) continue;
    const event = coder.decode(data.subarray(8).toString("base64"));
    if (event) events.push({ name: event.name, data: event.data as Record<string, unknown> });
  }
  return events;
}
