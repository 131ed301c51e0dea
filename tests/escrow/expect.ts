// Assertions of the escrow tests: errors by name (the escrow's own, Anchor's framework errors, the System and
// Token programs' errors, the runtime's), "a failed instruction changes nothing", and the events of a success.
import { expect } from "chai";
import anchor from "@coral-xyz/anchor";
import { type PublicKey, SystemProgram } from "@solana/web3.js";
import { customErrorOf, type TestSvm } from "../harness/index.js";
import escrowIdl from "../../ts-client/src/generated/escrow.json" with { type: "json" };
import type { EscrowEvent } from "../../ts-client/src/index.js";
import type { EscrowFixture } from "./fixture.js";

/** The escrow program's errors (errors.rs), by name. */
export const ESCROW_ERRORS: ReadonlyMap<string, number> = new Map(escrowIdl.errors.map((e) => [e.name, e.code]));

/** Anchor's framework errors (raised by the SDK's account and argument validation), by name. */
const FRAMEWORK_ERRORS: Readonly<Record<string, number>> = anchor.LangErrorCode as unknown as Record<string, number>;

/** The System Program's errors (solana-system-interface `SystemError`), by name. */
export const SYSTEM_ERRORS = {
  AccountAlreadyInUse: 0,
  ResultWithNegativeLamports: 1,
  InvalidProgramId: 2,
  InvalidAccountDataLength: 3,
} as const;

/** SPL Token / Token-2022 errors (`TokenError`), by name. */
export const TOKEN_ERRORS = {
  NotRentExempt: 0,
  InsufficientFunds: 1,
  InvalidMint: 2,
  MintMismatch: 3,
  OwnerMismatch: 4,
} as const;

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

/**
 * Awaits `action`, which must fail with the escrow program's error `name`: one of errors.rs, or an Anchor
 * framework error the SDK raises (`AccountNotSigner`, `ConstraintSeeds`, ...). Checks the code the program
 * returned, that its logs carry exactly one `AnchorError` line and that it names `name` (what Anchor clients
 * and explorers show), and, for an `AnchorError` thrown by the client, its `errorCode`.
 */
export async function expectError(f: EscrowFixture, action: Action, name: string): Promise<void> {
  const code = ESCROW_ERRORS.get(name) ?? FRAMEWORK_ERRORS[name];
  if (code === undefined) throw new Error(`unknown error name ${name}`);
  const thrown = await thrownBy(action);
  const found = customErrorOf(thrown);
  const logs = logsOf(thrown);
  const context = `\n${logs.join("\n")}`;
  expect(found, `expected ${name} (${code}), got ${String(thrown)}${context}`).to.not.equal(null);
  expect(found!.programId.toBase58(), `the failing program${context}`).to.equal(f.escrow.programId.toBase58());
  expect(found!.code, `expected ${name} (${code})${context}`).to.equal(code);
  const anchorLines = logs.filter((l) => l.includes("AnchorError"));
  expect(anchorLines, `exactly one AnchorError line${context}`).to.have.length(1);
  expect(anchorLines[0]).to.contain(`Error Code: ${name}. Error Number: ${code}.`);
  if (thrown instanceof anchor.AnchorError) expect(thrown.error.errorCode.code).to.equal(name);
}

/** Awaits `action`, which must fail in a program the escrow invoked (or in the transaction) with `code`. */
async function expectProgramCode(action: Action, programId: PublicKey, code: number, name: string): Promise<void> {
  const thrown = await thrownBy(action);
  const found = customErrorOf(thrown);
  const context = `\n${logsOf(thrown).join("\n")}`;
  expect(found, `expected ${name}, got ${String(thrown)}${context}`).to.not.equal(null);
  expect(found!.programId.toBase58(), `the failing program${context}`).to.equal(programId.toBase58());
  expect(found!.code, `expected ${name}${context}`).to.equal(code);
}

/** `action` must fail in the System Program with `name` (e.g. creating an account that exists). */
export async function expectSystemError(action: Action, name: keyof typeof SYSTEM_ERRORS): Promise<void> {
  await expectProgramCode(action, SystemProgram.programId, SYSTEM_ERRORS[name], `SystemError::${name}`);
}

/** `action` must fail in the token program `tokenProgram` with `name`. */
export async function expectTokenError(action: Action, tokenProgram: PublicKey, name: keyof typeof TOKEN_ERRORS): Promise<void> {
  await expectProgramCode(action, tokenProgram, TOKEN_ERRORS[name], `TokenError::${name}`);
}

/**
 * `action` must fail with the runtime's instruction error `name` (`ArithmeticOverflow`, `AccountBorrowFailed`,
 * `MissingRequiredSignature`, ...), as the RPC reports it in the transaction's `err`.
 */
export async function expectInstructionError(t: TestSvm, action: Action, name: string): Promise<void> {
  const thrown = await thrownBy(action);
  const err = t.lastResult?.err;
  const context = `\n${String(thrown)}\n${(t.lastResult?.logs ?? []).join("\n")}`;
  expect(err && typeof err === "object" && "InstructionError" in err, `an instruction error${context}`).to.equal(true);
  expect((err as { InstructionError: [number, unknown] }).InstructionError[1], context).to.equal(name);
}

/** Lamports, owner and data of accounts (null when absent). */
function snapshot(t: TestSvm, addresses: readonly PublicKey[]) {
  return addresses.map((address) => {
    const account = t.account(address);
    return account
      ? { address: address.toBase58(), lamports: account.lamports, owner: account.owner.toBase58(), data: account.data.toString("hex") }
      : { address: address.toBase58(), absent: true };
  });
}

/**
 * Runs `failure` (an assertion that a transaction fails) and checks that the accounts at `addresses` are
 * exactly as before: lamports, owner and data. The fee payer (the fixture's payer) is not one of them.
 */
export async function expectUnchanged(t: TestSvm, addresses: readonly PublicKey[], failure: () => Promise<void>): Promise<void> {
  const before = snapshot(t, addresses);
  await failure();
  expect(t.lastResult?.committed, "the failed transaction landed (it was executed, then rolled back)").to.equal(true);
  expect(snapshot(t, addresses)).to.deep.equal(before);
}

/**
 * The escrow events of the last (successful) transaction, in order. A success must log no `AnchorError` line:
 * indexers and explorers would read one as a failure.
 */
export function lastEvents(f: EscrowFixture): EscrowEvent[] {
  const result = f.t.lastResult;
  if (!result) throw new Error("no transaction yet");
  expect(result.err, "the last transaction succeeded").to.equal(null);
  expect(result.logs.filter((l) => l.includes("AnchorError")), "a success logs no AnchorError").to.deep.equal([]);
  return f.escrow.parseEvents(result.logs);
}

/** The only escrow event of the last transaction, which must be `name`. */
export function lastEvent(f: EscrowFixture, name: string): Record<string, unknown> {
  const events = lastEvents(f);
  expect(events.map((e) => e.name)).to.deep.equal([name]);
  return events[0].data;
}

/** Converts the BN / PublicKey fields of an event for deep comparison (bigint and base58). */
export function plain(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value && typeof value === "object" && "toBase58" in value) out[key] = (value as PublicKey).toBase58();
    else if (anchor.BN.isBN(value)) out[key] = BigInt((value as { toString(): string }).toString());
    else out[key] = value;
  }
  return out;
}
