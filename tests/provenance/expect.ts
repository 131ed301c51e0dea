// Assertions of the provenance tests: errors by name (provenance's own, the escrow's when a charge is
// refused, Anchor's framework errors, the System Program's), "a failed instruction changes nothing", the
// events of a success, and event fields in plain form.
import { expect } from "chai";
import anchor from "@coral-xyz/anchor";
import { PublicKey, SystemProgram } from "@solana/web3.js";
import { customErrorOf, type TestSvm } from "../harness/index.js";
import escrowIdl from "../../ts-client/src/generated/escrow.json" with { type: "json" };
import provenanceIdl from "../../ts-client/src/generated/provenance.json" with { type: "json" };
import type { ProvenanceFixture } from "./fixture.js";
import { lastEvents } from "./fixture.js";

const PROVENANCE_ERRORS: ReadonlyMap<string, number> = new Map(provenanceIdl.errors.map((e) => [e.name, e.code]));
const ESCROW_ERRORS: ReadonlyMap<string, number> = new Map(escrowIdl.errors.map((e) => [e.name, e.code]));
const FRAMEWORK_ERRORS: Readonly<Record<string, number>> = anchor.LangErrorCode as unknown as Record<string, number>;
const SYSTEM_ERRORS: Readonly<Record<string, number>> = { AccountAlreadyInUse: 0, ResultWithNegativeLamports: 1 };

type Action = Promise<unknown> | (() => Promise<unknown>);

async function thrownBy(action: Action): Promise<unknown> {
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    return error;
  }
  throw new Error("expected the transaction to fail, but it succeeded");
}

function logsOf(error: unknown): string[] {
  const logs = (error as { logs?: unknown }).logs;
  return Array.isArray(logs) ? logs.filter((l): l is string => typeof l === "string") : [];
}

async function expectCode(action: Action, programId: PublicKey, code: number, name: string): Promise<string[]> {
  const thrown = await thrownBy(action);
  const found = customErrorOf(thrown);
  const logs = logsOf(thrown);
  const context = `\n${String(thrown)}\n${logs.join("\n")}`;
  expect(found, `expected ${name} (${code})${context}`).to.not.equal(null);
  expect(found!.programId.toBase58(), `the failing program${context}`).to.equal(programId.toBase58());
  expect(found!.code, `expected ${name} (${code})${context}`).to.equal(code);
  return logs;
}

/**
 * `action` must fail in the provenance program with `name`: one of its errors.rs, or an Anchor framework
 * error the SDK raises (`AccountNotSigner`, `ConstraintAddress`, ...), logged as one `AnchorError` line.
 */
export async function expectError(f: ProvenanceFixture, action: Action, name: string): Promise<void> {
  const code = PROVENANCE_ERRORS.get(name) ?? FRAMEWORK_ERRORS[name];
  if (code === undefined) throw new Error(`unknown error name ${name}`);
  const logs = await expectCode(action, f.provenance.programId, code, name);
  const anchorLines = logs.filter((l) => l.includes("AnchorError"));
  expect(anchorLines, `exactly one AnchorError line\n${logs.join("\n")}`).to.have.length(1);
  expect(anchorLines[0]).to.contain(`Error Code: ${name}. Error Number: ${code}.`);
}

/** `action` must fail in the escrow program (invoked by provenance) with its error `name`. */
export async function expectEscrowError(f: ProvenanceFixture, action: Action, name: string): Promise<void> {
  const code = ESCROW_ERRORS.get(name) ?? FRAMEWORK_ERRORS[name];
  if (code === undefined) throw new Error(`unknown escrow error name ${name}`);
  await expectCode(action, f.escrow.programId, code, name);
}

/** `action` must fail in the System Program with `name`. */
export async function expectSystemError(action: Action, name: keyof typeof SYSTEM_ERRORS): Promise<void> {
  await expectCode(action, SystemProgram.programId, SYSTEM_ERRORS[name], `SystemError::${name}`);
}

/** `action` must fail with the runtime's instruction error `name` (`MissingRequiredSignature`, ...). */
export async function expectInstructionError(t: TestSvm, action: Action, name: string): Promise<void> {
  const thrown = await thrownBy(action);
  const err = t.lastResult?.err;
  const context = `\n${String(thrown)}\n${(t.lastResult?.logs ?? []).join("\n")}`;
  expect(err && typeof err === "object" && "InstructionError" in err, `an instruction error${context}`).to.equal(true);
  const detail = (err as { InstructionError: [number, unknown] }).InstructionError[1];
  expect(typeof detail === "string" ? detail : JSON.stringify(detail), context).to.equal(name);
}

function snapshot(t: TestSvm, addresses: readonly PublicKey[]) {
  return addresses.map((address) => {
    const account = t.account(address);
    return account ? { address: address.toBase58(), lamports: account.lamports, data: account.data.toString("hex") } : { address: address.toBase58(), absent: true };
  });
}

/** Runs `failure` and checks that the accounts at `addresses` are exactly as before (lamports and data). */
export async function expectUnchanged(t: TestSvm, addresses: readonly PublicKey[], failure: () => Promise<void>): Promise<void> {
  const before = snapshot(t, addresses);
  await failure();
  expect(snapshot(t, addresses)).to.deep.equal(before);
}

/** The only provenance event of the last transaction, which must be `name`; its data in plain form. */
export function lastEvent(f: ProvenanceFixture, name: string): Record<string, unknown> {
  const events = lastEvents(f);
  expect(events.map((e) => e.name)).to.deep.equal([name]);
  expect(f.t.lastResult!.logs.filter((l) => l.includes("AnchorError")), "a success logs no AnchorError").to.deep.equal([]);
  return plain(events[0].data) as Record<string, unknown>;
}

/**
 * Event or account data in plain form for deep comparison: bigint for BN, base58 for keys, hex for byte
 * arrays (16 or 32 numbers of at most 255: keep other number arrays out of that shape).
 */
export function plain(value: unknown): unknown {
  if (value instanceof PublicKey) return value.toBase58();
  if (anchor.BN.isBN(value)) return BigInt((value as { toString(): string }).toString());
  if (Array.isArray(value)) {
    // byte arrays of the IDL (request ids, hashes, labels) are 16 or 32 bytes; other arrays stay arrays
    const bytes = (value.length === 16 || value.length === 32) && value.every((v) => typeof v === "number" && v >= 0 && v <= 255);
    return bytes ? Buffer.from(value as number[]).toString("hex") : value.map(plain);
  }
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Bytes as the hex `plain` gives them. */
export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
