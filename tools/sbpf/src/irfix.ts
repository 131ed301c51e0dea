import { ATTRIBUTES, HELPERS, signedDivisionHelper, unsignedDivision128Helper, type HelperDefinition } from "./ir/helpers.js";
import { findCall, parseIrModule, registersFor, type IrModule } from "./ir/module.js";
import { isWideType, matchingBracket, splitTopLevel } from "./ir/text.js";

/**
 * Constant-length memcpy/memmove/memset up to this many bytes stay inline, by default. A 32-byte copy (a pubkey)
 * inline is eight loads and stores, 64 bytes of code; through the thunk about five instructions, for some 10 CU
 * more (measured at 31 against 64: escrow 1,560 B smaller, provenance 1,280, rewards 736). A program that needs
 * CU more than bytes raises it in its manifest (`[package.metadata.sbpf] inline-memory-limit`, see driver.ts).
 */
export const INLINE_MEMORY_OPERATION_LIMIT = 31;

export interface IrRewriteOptions {
  readonly entrySymbol: string;
  /** Longest constant-length memory operation kept inline (default `INLINE_MEMORY_OPERATION_LIMIT`). */
  readonly inlineMemoryLimit?: number;
}
/**
 * A memory syscall called from this many sites or more is called through one internal function instead:
 * each SBPF v0 syscall site carries a 16-byte relocation, a call to the thunk none (2 CU more per call).
 */
export const SYSCALL_THUNK_MIN_SITES = 3;
/** BPF passes arguments in r1..r5 and has no stack arguments. */
export const MAX_ARGUMENT_REGISTERS = 5;

export interface IrRewriteResult {
  readonly text: string;
  /** How often each rewrite fired, for SBPF_VERBOSE. */
  readonly stats: Readonly<Record<string, number>>;
}

const SYSCALL_DECLARATIONS: Readonly<Record<string, string>> = {
  sol_memmove_: "declare void @sol_memmove_(ptr, ptr, i64)",
  sol_memset_: "declare void @sol_memset_(ptr, i8, i64)",
};

/** The thunk that calls a memory syscall for every site when there are many (`SYSCALL_THUNK_MIN_SITES`). */
const SYSCALL_THUNKS: Readonly<Record<string, { readonly symbol: string; readonly text: string }>> = {
  sol_memmove_: syscallThunk("sol_memmove_", "ptr %d, ptr %s, i64 %n"),
  sol_memset_: syscallThunk("sol_memset_", "ptr %d, i8 %v, i64 %n"),
};

function syscallThunk(syscall: string, parameters: string): { readonly symbol: string; readonly text: string } {
  const symbol = `__sbpf_${syscall}`;
  return { symbol, text: `define internal void @${symbol}(${parameters}) ${ATTRIBUTES} {\n  call void @${syscall}(${parameters})\n  ret void\n}` };
}

const OVERFLOW_INTRINSICS: Readonly<Record<string, HelperDefinition>> = {
  "llvm.umul.with.overflow.i64": HELPERS.umulo64,
  "llvm.smul.with.overflow.i64": HELPERS.smulo64,
  "llvm.umul.with.overflow.i128": HELPERS.umulo128,
  "llvm.smul.with.overflow.i128": HELPERS.smulo128,
};

const FUNNEL_SHIFTS: Readonly<Record<string, HelperDefinition>> = {
  "llvm.fshl.i128": HELPERS.fshl128,
  "llvm.fshr.i128": HELPERS.fshr128,
};

const BINARY_OPERATION =
  /^(?<assignment>\s*%(?:[-\w.$]+|"[^"]*") = )(?<operation>mul|shl|lshr|ashr|sdiv|srem|udiv|urem)(?: (?:nuw|nsw|exact))* (?<type>i\d+) (?<operands>.+)$/;
const MEMORY_INTRINSIC = /^llvm\.(memcpy|memmove|memset)\.p0(?:\.p0)?\.i(32|64)$/;

/**
 * Rewrites an IR module (text, after internalize) so that the upstream BPF backend can lower it for SBPF:
 * - large or variable memcpy/memmove/memset become sol_memmove_/sol_memset_ syscalls, through one
 *   noinline thunk per syscall when it has `SYSCALL_THUNK_MIN_SITES` sites or more;
 * - i128 multiply, divide and variable shifts, 64/128-bit multiply-with-overflow, i128 funnel shifts and
 *   all signed division (BPF before v4 has none) become calls to alwaysinline helpers;
 * - `sret` is dropped (BPF refuses it; it is only an ABI hint here);
 * - functions needing more than 5 argument registers, or returning more than one, are marked alwaysinline.
 * Run `opt -passes=always-inline` afterwards.
 */
export function rewriteForBpf(text: string, options: IrRewriteOptions): IrRewriteResult {
  const module = parseIrModule(text);
  const rewriter = new Rewriter(module, BigInt(options.inlineMemoryLimit ?? INLINE_MEMORY_OPERATION_LIMIT));
  rewriter.rewriteInstructions();
  rewriter.removeSret();
  rewriter.forceInlineUnlowerableFunctions(options.entrySymbol);
  return { text: rewriter.finish(), stats: rewriter.stats };
}

class Rewriter {
  readonly stats: Record<string, number> = {};
  private lines: string[];
  private readonly helpers = new Map<string, HelperDefinition>();
  private readonly declarations = new Set<string>();
  /** Call sites of each memory syscall written so far. */
  private readonly syscallSites = new Map<string, number>();
  private readonly newAttributeGroups: string[] = [];
  private nextAttributeGroup: number;
  private temporaryCounter = 0;

  constructor(
    private readonly module: IrModule,
    private readonly inlineMemoryLimit: bigint,
  ) {
    this.lines = [...module.lines];
    const ids = [...module.attributeGroups.keys()].map(Number);
    this.nextAttributeGroup = (ids.length > 0 ? Math.max(...ids) : 0) + 1;
  }

  rewriteInstructions(): void {
    const output: string[] = [];
    const bodyLines = new Set(functionBodyLines(this.module));
    this.lines.forEach((line, index) => {
      if (!bodyLines.has(index)) {
        output.push(line);
        return;
      }
      output.push(...this.rewriteInstruction(line));
    });
    this.lines = output;
  }

  private rewriteInstruction(line: string): string[] {
    const call = findCall(line);
    if (call?.callee !== undefined) {
      const memory = MEMORY_INTRINSIC.exec(call.callee);
      if (memory) return this.rewriteMemoryIntrinsic(line, call.calleeStart, call.end, memory[1]!, memory[2] === "32");
      const overflow = OVERFLOW_INTRINSICS[call.callee];
      if (overflow) return [this.replaceCallee(line, call.callee, overflow)];
      const funnel = FUNNEL_SHIFTS[call.callee];
      if (funnel && !isConstantOperand(argumentsOf(line, call.calleeStart)[2] ?? "")) {
        return [this.replaceCallee(line, call.callee, funnel)];
      }
      return [line];
    }
    const groups = BINARY_OPERATION.exec(line)?.groups;
    if (!groups) return [line];
    const { assignment, operation, type, operands } = groups as Record<"assignment" | "operation" | "type" | "operands", string>;
    const [left, right, ...metadata] = splitTopLevel(operands);
    if (left === undefined || right === undefined) return [line];
    const helper = helperForBinaryOperation(operation, Number(type.slice(1)), right);
    if (!helper) return [line];
    this.useHelper(helper);
    this.count(`${operation} ${type}`);
    const suffix = metadata.length > 0 ? `, ${metadata.join(", ")}` : "";
    return [`${assignment}call ${type} @${helper.symbol}(${type} ${left}, ${type} ${right})${suffix}`];
  }

  private rewriteMemoryIntrinsic(line: string, calleeStart: number, end: number, kind: string, narrowLength: boolean): string[] {
    const args = argumentsOf(line, calleeStart);
    const length = args[2] ?? "";
    const constant = constantValue(length);
    if (args.length < 3 || (constant !== undefined && constant <= this.inlineMemoryLimit)) return [line];
    const syscall = kind === "memset" ? "sol_memset_" : "sol_memmove_";
    this.declarations.add(syscall);
    this.syscallSites.set(syscall, (this.syscallSites.get(syscall) ?? 0) + 1);
    this.count(`${kind} -> ${syscall}`);
    const prefix: string[] = [];
    let length64 = length;
    if (narrowLength) {
      const widened = `%__sbpf_len${this.temporaryCounter++}`;
      prefix.push(`  ${widened} = zext ${length} to i64`);
      length64 = `i64 ${widened}`;
    }
    const callStart = line.lastIndexOf("call ", calleeStart);
    const head = line.slice(0, callStart).replace(/\b(?:tail|musttail|notail)\s+$/, "");
    return [...prefix, `${head}call void @${syscall}(${args[0]}, ${args[1]}, ${length64})${line.slice(end)}`];
  }

  private replaceCallee(line: string, callee: string, helper: HelperDefinition): string {
    this.useHelper(helper);
    this.count(callee);
    return line.replace(`@${callee}(`, `@${helper.symbol}(`);
  }

  /** `sret` marks a hidden result pointer; BPF refuses it ("aggregate returns are not supported"). */
  removeSret(): void {
    for (let i = 0; i < this.lines.length; i++) {
      let line = this.lines[i]!;
      let at: number;
      while ((at = line.indexOf(" sret(")) >= 0) {
        const close = matchingBracket(line, at + 5);
        if (close < 0) break;
        line = line.slice(0, at) + line.slice(close + 1);
        this.count("sret removed");
      }
      this.lines[i] = line;
    }
  }

  /**
   * BPF cannot call a function needing more than 5 argument registers ("stack arguments are not supported")
   * or returning more than one register: inline every such function instead, removing call-site noinline.
   */
  forceInlineUnlowerableFunctions(entrySymbol: string): void {
    const module = parseIrModule(this.lines.join("\n"));
    const forced = new Set<string>();
    for (const fn of module.functions) {
      if (fn.isDeclaration || fn.name === entrySymbol) continue;
      if (registersFor(fn.parameterTypes) <= MAX_ARGUMENT_REGISTERS && !isWideType(fn.returnType)) continue;
      const attributes = withoutInlineBlockers(fn.attributeGroup ? (module.attributeGroups.get(fn.attributeGroup) ?? "") : "");
      const group = this.addAttributeGroup(`alwaysinline ${attributes}`.trim());
      const header = module.lines[fn.headerLine]!;
      this.lines[fn.headerLine] = fn.attributeGroup
        ? header.replace(new RegExp(`#${fn.attributeGroup}\\b`), `#${group}`)
        : header.replace(/\s*\{\s*$/, ` #${group} {`);
      forced.add(fn.name);
      this.count("force-inline (registers)");
    }
    if (forced.size > 0) this.dropCallSiteNoinline(module, forced);
  }

  private dropCallSiteNoinline(module: IrModule, forced: ReadonlySet<string>): void {
    const replacements = new Map<string, string>();
    for (const i of functionBodyLines(module)) {
      const line = this.lines[i]!;
      const call = findCall(line);
      if (call?.callee === undefined || !forced.has(call.callee)) continue;
      const group = /^\s*#(\d+)/.exec(line.slice(call.end))?.[1];
      const attributes = group ? module.attributeGroups.get(group) : undefined;
      if (!group || !attributes || !/\bnoinline\b/.test(attributes)) continue;
      let replacement = replacements.get(group);
      if (replacement === undefined) {
        const remaining = withoutInlineBlockers(attributes);
        replacement = remaining === "" ? "" : `#${this.addAttributeGroup(remaining)}`;
        replacements.set(group, replacement);
      }
      this.lines[i] = line.slice(0, call.end) + line.slice(call.end).replace(` #${group}`, replacement === "" ? "" : ` ${replacement}`);
    }
  }

  finish(): string {
    const thunked = [...this.syscallSites].filter(([, sites]) => sites >= SYSCALL_THUNK_MIN_SITES).map(([name]) => name).sort();
    let text = this.lines.join("\n");
    for (const name of thunked) {
      text = text.replaceAll(`call void @${name}(`, `call void @${SYSCALL_THUNKS[name]!.symbol}(`);
      this.count(`${name} thunk`);
    }
    const parts = [text];
    for (const name of [...this.declarations].sort()) {
      if (!this.module.functions.some((fn) => fn.name === name)) parts.push(SYSCALL_DECLARATIONS[name]!);
    }
    if (thunked.length > 0) {
      const group = this.addAttributeGroup("noinline nounwind");
      for (const name of thunked) parts.push(SYSCALL_THUNKS[name]!.text.replace(ATTRIBUTES, `#${group}`));
    }
    if (this.helpers.size > 0) {
      const group = this.addAttributeGroup("alwaysinline nounwind");
      for (const symbol of [...this.helpers.keys()].sort()) {
        parts.push(this.helpers.get(symbol)!.text.replace(ATTRIBUTES, `#${group}`));
      }
    }
    parts.push(...this.newAttributeGroups);
    return `${parts.join("\n")}\n`;
  }

  private useHelper(helper: HelperDefinition): void {
    if (this.helpers.has(helper.symbol)) return;
    this.helpers.set(helper.symbol, helper);
    for (const dependency of helper.requires) this.useHelper(HELPERS[dependency]);
  }

  private addAttributeGroup(attributes: string): number {
    const id = this.nextAttributeGroup++;
    this.newAttributeGroups.push(`attributes #${id} = { ${attributes} }`);
    return id;
  }

  private count(rewrite: string): void {
    this.stats[rewrite] = (this.stats[rewrite] ?? 0) + 1;
  }
}

function helperForBinaryOperation(operation: string, bits: number, rightOperand: string): HelperDefinition | undefined {
  switch (operation) {
    case "mul":
      return bits === 128 ? HELPERS.mul128 : undefined;
    case "shl":
    case "lshr":
    case "ashr":
      // Constant 128-bit shifts are expanded inline by the backend.
      return bits === 128 && !isConstantOperand(rightOperand) ? HELPERS[`${operation}128`] : undefined;
    case "sdiv":
    case "srem":
      return signedDivisionHelper(bits, operation === "srem");
    case "udiv":
    case "urem":
      return bits === 128 ? unsignedDivision128Helper(operation === "urem") : undefined;
    default:
      return undefined;
  }
}

/** Indexes of the instruction lines of every function definition. */
function functionBodyLines(module: IrModule): number[] {
  const lines: number[] = [];
  for (const fn of module.functions) {
    for (let line = fn.headerLine + 1; line < fn.endLine; line++) lines.push(line);
  }
  return lines;
}

/** The comma-separated arguments of the call whose callee starts at `calleeStart`. */
function argumentsOf(line: string, calleeStart: number): string[] {
  const open = line.indexOf("(", calleeStart);
  const close = matchingBracket(line, open);
  return splitTopLevel(line.slice(open + 1, close));
}

/** Value of an integer literal operand (`i64 100` or `100`), else undefined. */
function constantValue(operand: string): bigint | undefined {
  const last = operand.trim().split(/\s+/).pop() ?? "";
  return /^-?\d+$/.test(last) ? BigInt(last) : undefined;
}

function isConstantOperand(operand: string): boolean {
  return constantValue(operand) !== undefined;
}

function withoutInlineBlockers(attributes: string): string {
  return attributes
    .split(/\s+(?=(?:[a-z_]+|"[^"]*")(?:[=(]|\s|$))/)
    .filter((attribute) => attribute !== "" && !/^(?:noinline|optnone|alwaysinline)$/.test(attribute))
    .join(" ");
}
