import { demangle } from "./demangle.js";
import { STACK_FRAME_SIZE } from "./validate.js";

/** One `error: ... in function <name> <signature>: <message>` line from llc. */
export interface LlcDiagnostic {
  readonly functionName: string;
  readonly message: string;
}

const DIAGNOSTIC_LINE = /error: .*?in function (\S+) .*?: (.+?)\s*$/;
const LIBCALL = /A call to built-in function '([^']+)' is not supported/;

export function parseLlcDiagnostics(stderr: string): LlcDiagnostic[] {
  const diagnostics: LlcDiagnostic[] = [];
  for (const line of stderr.split("\n")) {
    const match = DIAGNOSTIC_LINE.exec(line);
    if (match) diagnostics.push({ functionName: match[1]!, message: match[2]! });
  }
  return diagnostics;
}

/** Whether llc stopped because a frame exceeds -bpf-stack-size. */
export function isStackLimitFailure(stderr: string): boolean {
  return stderr.includes("BPF stack limit is exceeded");
}

/**
 * Rewrites llc's terse diagnostics into messages naming the (demangled) function and what to change.
 * `stackUse` gives measured frame sizes when the driver could compute them. Returns undefined when no line
 * is recognised, so that the caller shows llc's own output.
 */
export function explainLlcFailure(stderr: string, stackUse: ReadonlyMap<string, number> = new Map()): string | undefined {
  const explained = new Set<string>();
  for (const diagnostic of parseLlcDiagnostics(stderr)) {
    const name = demangle(diagnostic.functionName);
    const explanation = explainDiagnostic(name, diagnostic.message, stackUse);
    if (explanation) explained.add(explanation);
  }
  return explained.size > 0 ? [...explained].join("\n") : undefined;
}

function explainDiagnostic(name: string, message: string, stackUse: ReadonlyMap<string, number>): string | undefined {
  if (message.includes("BPF stack limit is exceeded")) {
    const bytes = stackUse.get(name);
    const size = bytes === undefined ? `more than ${STACK_FRAME_SIZE} bytes` : `${bytes} bytes`;
    return `function \`${name}\` needs ${size} of stack, but SBPF stack frames hold ${STACK_FRAME_SIZE}: move large locals into account data or behind a reference, or split the function`;
  }
  const libcall = LIBCALL.exec(message);
  if (libcall) {
    const routine = libcall[1]!;
    return `function \`${name}\` needs the compiler runtime routine \`${routine}\` (${describeRoutine(routine)}), which SBPF does not provide`;
  }
  if (/too many arguments|stack arguments are not supported|pass by value not supported/.test(message)) {
    return `function \`${name}\` makes a call with more than 5 argument registers; SBPF has no stack arguments: pass a struct by reference instead`;
  }
  if (/only small returns supported|aggregate returns are not supported/.test(message)) {
    return `function \`${name}\` returns a value wider than 64 bits from a call that could not be inlined; return it through a reference instead`;
  }
  if (message.includes("unsupported signed division")) {
    return `function \`${name}\` contains a signed division sbpf-ld did not rewrite (please report)`;
  }
  return undefined;
}

function describeRoutine(routine: string): string {
  if (/^__(?:mul|div|mod|udiv|umod|ashl|lshr|ashr)ti3$|^__mulo[td]i4$/.test(routine)) return "128-bit integer arithmetic sbpf-ld does not rewrite";
  if (/^(?:memcpy|memmove|memset|memcmp|bcmp)$/.test(routine)) return "memory operation";
  if (/(?:[sdtx]f\d?|[sdtx]fsi|[sdtx]fdi|[sdtx]fti)$|^__(?:fix|float|extend|trunc|pow)/.test(routine)) return "floating point";
  return "runtime library call";
}
