// Reading a program's custom error out of whatever a failed send threw, from the logs alone, so that the
// same assertion holds on LiteSVM and on a cluster (whether or not Anchor translated the error).
import type { Idl } from "@coral-xyz/anchor";
import { PublicKey } from "@solana/web3.js";

/** The custom error (`ProgramError::Custom(code)`) a program failed with. */
export interface CustomProgramError {
  /** The innermost program that failed with it. */
  readonly programId: PublicKey;
  readonly code: number;
  /** From the IDL's `errors`, when an IDL for that program was given and lists the code. */
  readonly name?: string;
  readonly msg?: string;
}

const FAILED_WITH_CUSTOM_ERROR = /^Program (\w+) failed: custom program error: 0x([0-9a-fA-F]+)$/;

/**
 * The custom error in the logs of `error` (a `SendTransactionError`, Anchor's `AnchorError` or
 * `ProgramError`, or anything with `logs: string[]`), or null if none failed with one. When a CPI fails the
 * callers fail with the same code after it; the first failure, the innermost program, is reported.
 */
export function customErrorOf(error: unknown, idl?: Idl): CustomProgramError | null {
  for (const line of logsOf(error)) {
    const match = FAILED_WITH_CUSTOM_ERROR.exec(line);
    if (!match) continue;
    const programId = new PublicKey(match[1]);
    const code = parseInt(match[2], 16);
    const entry = idl && programId.equals(new PublicKey(idl.address)) ? idl.errors?.find((e) => e.code === code) : undefined;
    return entry ? { programId, code, name: entry.name, msg: entry.msg } : { programId, code };
  }
  return null;
}

/** What `expectCustomError` checks; omitted fields are not checked. */
export interface ExpectedCustomError {
  readonly code?: number;
  /** The IDL name of the error; needs `idl`. */
  readonly name?: string;
  readonly programId?: PublicKey;
}

/**
 * Awaits `action`, which must reject with a custom program error matching `expected`; returns that error.
 * Throws with the logs when it resolves, fails otherwise, or fails with another error.
 */
export async function expectCustomError(
  action: Promise<unknown> | (() => Promise<unknown>),
  expected: ExpectedCustomError,
  idl?: Idl,
): Promise<CustomProgramError> {
  let thrown: unknown;
  try {
    await (typeof action === "function" ? action() : action);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) throw new Error(`expected custom program error ${describe(expected)}, but it succeeded`);
  const found = customErrorOf(thrown, idl);
  const matches =
    found !== null &&
    (expected.code === undefined || found.code === expected.code) &&
    (expected.name === undefined || found.name === expected.name) &&
    (expected.programId === undefined || found.programId.equals(expected.programId));
  if (!matches) {
    const what = found ? `custom program error ${describe(found)}` : `${String(thrown)}`;
    const error = new Error(`expected custom program error ${describe(expected)}, got ${what}\n${logsOf(thrown).join("\n")}`);
    error.cause = thrown;
    throw error;
  }
  return found;
}

function logsOf(error: unknown): readonly string[] {
  if (typeof error !== "object" || error === null || !("logs" in error)) return [];
  const logs = (error as { logs: unknown }).logs;
  return Array.isArray(logs) ? logs.filter((l): l is string => typeof l === "string") : [];
}

function describe(e: ExpectedCustomError): string {
  const parts = [
    e.code !== undefined ? `0x${e.code.toString(16)} (${e.code})` : undefined,
    e.name,
    e.programId ? `from ${e.programId.toBase58()}` : undefined,
  ];
  return parts.filter((p) => p !== undefined).join(" ") || "(any)";
}
