import { demangle } from "./demangle.js";
import { SbpfError } from "./errors.js";
import { MAX_ARGUMENT_REGISTERS } from "./irfix.js";
import { findCall, registersFor, type IrModule } from "./ir/module.js";
import { isWideType } from "./ir/text.js";

const FLOAT_INSTRUCTION = /=\s+(fadd|fsub|fmul|fdiv|frem|fneg|fcmp|fptoui|fptosi|uitofp|sitofp|fpext|fptrunc)\b/;
const FLOAT_INTRINSIC = /^llvm\.(?:[\w.]+\.(?:f16|bf16|f32|f64|f80|f128)|(?:fptoui|fptosi)\.sat\.[\w.]+)$/;
const FLOAT_TYPE = /\b(half|bfloat|float|double|fp128|x86_fp80)\b/;

/** Refuses a module without the program entrypoint (everything else would be discarded as dead). */
export function checkEntrypoint(module: IrModule, entrySymbol: string): void {
  if (!module.functions.some((fn) => fn.name === entrySymbol && !fn.isDeclaration)) {
    throw new SbpfError(`no \`${entrySymbol}\` function in the program: define \`#[no_mangle] pub unsafe extern "C" fn ${entrySymbol}(input: *mut u8) -> u64\` in the cdylib crate`);
  }
}

/**
 * SBPF has no floating point and the upstream backend has no soft-float runtime: llc would fail with
 * "A call to built-in function '__muldf3' is not supported". Name the functions and operations instead.
 */
export function checkNoFloatingPoint(module: IrModule): void {
  const uses = new Map<string, Set<string>>();
  for (const fn of module.functions) {
    if (fn.isDeclaration) continue;
    for (let i = fn.headerLine + 1; i < fn.endLine; i++) {
      const operation = floatOperation(module.lines[i]!);
      if (!operation) continue;
      const set = uses.get(fn.name) ?? new Set<string>();
      set.add(operation);
      uses.set(fn.name, set);
    }
  }
  if (uses.size === 0) return;
  const lines = [...uses].map(([name, operations]) => `function \`${demangle(name)}\` uses ${[...operations].map((o) => `\`${o}\``).join(", ")}`);
  throw new SbpfError(
    `floating point is not supported on SBPF (no FPU, and no soft-float runtime is linked):\n  ${lines.join("\n  ")}\n` +
      "Use integer or fixed-point arithmetic instead (amounts in base units, ratios in basis points).",
  );
}

function floatOperation(line: string): string | undefined {
  const instruction = FLOAT_INSTRUCTION.exec(line);
  if (instruction) return `${instruction[1]} ${FLOAT_TYPE.exec(line)?.[1] ?? ""}`.trim();
  if (!line.includes("@llvm.")) return undefined;
  const call = findCall(line);
  if (call?.callee !== undefined && FLOAT_INTRINSIC.test(call.callee)) return call.callee;
  return undefined;
}

/**
 * After forced inlining, any function that still needs more than 5 argument registers, or returns more than
 * one register, could not be inlined (recursive, or called through a pointer). llc would stop with "too many
 * arguments"; say which function and why instead.
 */
export function checkCallsAreLowerable(module: IrModule, entrySymbol: string): void {
  const problems: string[] = [];
  for (const fn of module.functions) {
    if (fn.isDeclaration || fn.name === entrySymbol) continue;
    const registers = registersFor(fn.parameterTypes);
    if (registers > MAX_ARGUMENT_REGISTERS) {
      problems.push(`function \`${demangle(fn.name)}\` takes ${registers} argument registers and could not be inlined (it is recursive or called through a function pointer); SBPF passes at most ${MAX_ARGUMENT_REGISTERS} arguments in registers and has no stack arguments: pass a struct by reference instead`);
    } else if (isWideType(fn.returnType)) {
      problems.push(`function \`${demangle(fn.name)}\` returns \`${fn.returnType}\` and could not be inlined; SBPF returns one 64-bit register: return through a reference instead`);
    }
  }
  for (const fn of module.functions) {
    if (fn.isDeclaration) continue;
    for (let i = fn.headerLine + 1; i < fn.endLine; i++) {
      const call = findCall(module.lines[i]!);
      if (!call || (call.callee?.startsWith("llvm.") ?? false)) continue;
      const registers = registersFor(call.argumentTypes);
      const defined = call.callee !== undefined && module.functions.some((f) => f.name === call.callee && !f.isDeclaration);
      if (registers > MAX_ARGUMENT_REGISTERS && !defined) {
        const callee = call.callee === undefined ? "a function pointer" : `\`${demangle(call.callee)}\``;
        problems.push(`function \`${demangle(fn.name)}\` calls ${callee} with ${registers} argument registers; SBPF passes at most ${MAX_ARGUMENT_REGISTERS} and has no stack arguments`);
      }
    }
  }
  if (problems.length > 0) throw new SbpfError([...new Set(problems)].join("\n"));
}
