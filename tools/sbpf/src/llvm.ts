import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { SbpfError } from "./errors.js";
import { LLVM_PACKAGE } from "./toolchain.js";

/** LLVM major version matching Debian's rustc-web (its LLVM produces the bitcode we read). */
export const LLVM_MAJOR = 22;

export type LlvmTool = "llvm-link" | "opt" | "llc" | "llvm-mc" | "llvm-ar" | "llvm-objdump" | "llvm-readelf";

/** A failed LLVM tool run; `stderr` carries the tool's diagnostics for translation. */
export class LlvmToolError extends SbpfError {
  constructor(
    readonly tool: string,
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(`${tool} failed:\n${stderr.trim()}`);
  }
}

const resolved = new Map<LlvmTool, string>();

/** Finds `<tool>-22` on PATH, in /usr/bin, or in /usr/lib/llvm-22/bin; refuses naming the Debian package. */
export function findLlvmTool(tool: LlvmTool): string {
  const known = resolved.get(tool);
  if (known) return known;
  const versioned = `${tool}-${LLVM_MAJOR}`;
  const searchPath = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const candidates = [
    ...[...searchPath, "/usr/bin"].map((dir) => path.join(dir, versioned)),
    path.join(`/usr/lib/llvm-${LLVM_MAJOR}/bin`, tool),
  ];
  for (const candidate of candidates) {
    if (isExecutable(candidate)) {
      resolved.set(tool, candidate);
      return candidate;
    }
  }
  throw new SbpfError(`${versioned} not found: install the Debian package ${LLVM_PACKAGE} (run \`npm run setup\` as root)`);
}

export interface RunOptions {
  readonly verbose?: boolean;
  /** Bytes to feed on stdin. */
  readonly input?: Buffer | string;
}

/** Runs an LLVM tool synchronously; returns stdout, throws LlvmToolError with its stderr on failure. */
export function runLlvmTool(tool: LlvmTool, args: readonly string[], options: RunOptions = {}): Buffer {
  const executable = findLlvmTool(tool);
  const started = performance.now();
  const result = spawnSync(executable, args, {
    input: options.input,
    maxBuffer: 1 << 30,
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  if (options.verbose) {
    const elapsed = (performance.now() - started).toFixed(0);
    process.stderr.write(`[sbpf-ld] ${path.basename(executable)} ${abbreviate(args)} (${elapsed} ms)\n`);
  }
  if (result.error) throw new SbpfError(`could not run ${executable}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new LlvmToolError(path.basename(executable), args, result.stderr.toString("utf8") || `exit status ${result.status ?? result.signal}`);
  }
  return result.stdout;
}

/** Long input lists (non-LTO links pass hundreds of archive members) are shortened in verbose output. */
function abbreviate(args: readonly string[]): string {
  const limit = 12;
  if (args.length <= limit) return args.join(" ");
  return `${args.slice(0, limit).join(" ")} ... (${args.length - limit} more)`;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
