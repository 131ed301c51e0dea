import { readFileSync } from "node:fs";
import { SbpfError } from "./errors.js";

/** What rustc asks of a linker with flavor "bpf" (rustc_codegen_ssa `BpfLinker`). */
export interface LinkerInvocation {
  readonly inputs: readonly string[];
  readonly output: string;
  /** File listing the symbols rustc wants exported; only `entrypoint` matters to SBPF. */
  readonly exportSymbolsFile: string | undefined;
  /** rustc's optimisation level: 0-3, s or z. */
  readonly optLevel: string;
}

/** Flags that take a value we do not need. */
const IGNORED_WITH_VALUE = new Set(["-L", "--cpu", "--cpu-features", "--target", "--emit", "-l"]);

/**
 * Parses the bpf-linker command line rustc passes: `--export-symbols <file> <objects/rlibs> -L <dir>
 * --cpu <cpu> -o <out> -O<level> --debug`. `@file` response files (used for long command lines) are
 * expanded with rustc's escaping: one argument per line, backslash escapes the next character.
 */
export function parseLinkerArgs(argv: readonly string[]): LinkerInvocation {
  const args = expandResponseFiles(argv);
  const inputs: string[] = [];
  let output: string | undefined;
  let exportSymbolsFile: string | undefined;
  let optLevel = "3";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined) throw new SbpfError(`missing value after ${arg}`);
      return next;
    };
    if (arg === "-o") output = value();
    else if (arg === "--export-symbols") exportSymbolsFile = value();
    else if (IGNORED_WITH_VALUE.has(arg)) value();
    else if (/^-O[0-3sz]$/.test(arg)) optLevel = arg.slice(2);
    else if (arg.startsWith("-")) continue; // --debug, --fatal-warnings and other switches do not change our output
    else inputs.push(arg);
  }
  if (output === undefined) throw new SbpfError("no output file given (-o)");
  if (inputs.length === 0) throw new SbpfError("no input objects given");
  return { inputs, output, exportSymbolsFile, optLevel };
}

function expandResponseFiles(argv: readonly string[]): string[] {
  const expanded: string[] = [];
  for (const arg of argv) {
    if (!arg.startsWith("@")) {
      expanded.push(arg);
      continue;
    }
    const text = readFileSync(arg.slice(1), "utf8");
    for (const line of text.split("\n")) {
      if (line === "") continue;
      expanded.push(line.replace(/\\(.)/g, "$1"));
    }
  }
  return expanded;
}
