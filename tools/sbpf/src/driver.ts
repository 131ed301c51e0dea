import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readArchive } from "./archive.js";
import { ELF_MAGIC, SHF_ALLOC } from "./elf/constants.js";
import { readElf } from "./elf/reader.js";
import { SbpfError, formatDiagnostic } from "./errors.js";
import { checkCallsAreLowerable, checkEntrypoint, checkNoFloatingPoint } from "./ir-checks.js";
import { parseIrModule } from "./ir/module.js";
import { rewriteForBpf } from "./irfix.js";
import { ENTRYPOINT_SYMBOL, linkSharedObject, measureStackUse } from "./link.js";
import { parseLinkerArgs, type LinkerInvocation } from "./linker-args.js";
import { explainLlcFailure, isStackLimitFailure } from "./llc-diagnostics.js";
import { LlvmToolError, runLlvmTool } from "./llvm.js";
import { parseSbpfVersion, type SbpfVersion } from "./sbpf-version.js";
import { STACK_FRAME_SIZE } from "./validate.js";

/** Settings rustc cannot pass on the linker command line, so they come from the environment. */
export interface DriverSettings {
  /** SBPF_VERSION: 0 (default, what mainnet deploys) or 3. */
  readonly sbpfVersion: SbpfVersion;
  /** SBPF_KEEP: directory that receives the intermediate files, for debugging. */
  readonly keepDirectory: string | undefined;
  /** SBPF_VERBOSE=1: print every tool invocation with its duration. */
  readonly verbose: boolean;
  /**
   * From the program's own manifest (cargo gives rustc, and so its linker, `CARGO_MANIFEST_DIR`):
   * `[package.metadata.sbpf] inline-memory-limit = N`, the longest constant-length copy kept inline.
   */
  readonly inlineMemoryLimit: number | undefined;
}

export function settingsFromEnvironment(env: NodeJS.ProcessEnv): DriverSettings {
  const manifest = env.CARGO_MANIFEST_DIR ? path.join(env.CARGO_MANIFEST_DIR, "Cargo.toml") : undefined;
  return {
    sbpfVersion: parseSbpfVersion(env.SBPF_VERSION, "SBPF_VERSION"),
    keepDirectory: env.SBPF_KEEP || undefined,
    verbose: env.SBPF_VERBOSE === "1",
    inlineMemoryLimit: manifest && existsSync(manifest) ? inlineMemoryLimitOf(readFileSync(manifest, "utf8"), manifest) : undefined,
  };
}

/** `inline-memory-limit` of a manifest's `[package.metadata.sbpf]` table, if it sets one. */
export function inlineMemoryLimitOf(manifest: string, where: string): number | undefined {
  const table = /^\[package\.metadata\.sbpf\][ \t]*(?:#.*)?$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(manifest);
  const entry = table && /^inline-memory-limit[ \t]*=[ \t]*([^#\n]*?)[ \t]*(?:#.*)?$/m.exec(table[1]!);
  if (!entry) return undefined;
  const value = Number(entry[1]);
  if (!/^\d+$/.test(entry[1]!) || value > 4096) {
    throw new SbpfError(`${where}: [package.metadata.sbpf] inline-memory-limit must be an integer from 0 to 4096, not \`${entry[1]}\``);
  }
  return value;
}

/** Entry point of `sbpf-ld`: returns the exit status; diagnostics go to stderr. */
export function main(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  try {
    runLinkerDriver(parseLinkerArgs(argv), settingsFromEnvironment(env));
    return 0;
  } catch (error) {
    process.stderr.write(`${formatDiagnostic(error)}\n`);
    return 1;
  }
}

/** Machine code generation settings for each SBPF version (v0 has no JMP32, so cpu v2; v3 adds alu32). */
const CODEGEN: Readonly<Record<SbpfVersion, { cpu: string; attributes: string }>> = {
  0: { cpu: "v2", attributes: "+allows-misaligned-mem-access" },
  3: { cpu: "v3", attributes: "+alu32,+allows-misaligned-mem-access" },
};

/**
 * The pipeline: bitcode inputs -> one module (llvm-link) -> internalize all but `entrypoint`, strip debug info,
 * drop dead code (opt) -> checks and IR rewrites -> always-inline (opt) -> BPF object (llc) -> SBPF shared
 * object (post-linker). With `-C lto=fat` rustc hands over one optimised module, which is not re-optimised.
 */
export function runLinkerDriver(invocation: LinkerInvocation, settings: DriverSettings): void {
  const work = mkdtempSync(path.join(tmpdir(), "sbpf-ld-"));
  const stages = new StageRecorder(settings);
  try {
    const modules = collectBitcode(invocation.inputs, work);
    const merged = modules.length === 1 ? modules[0]! : path.join(work, "merged.bc");
    if (modules.length > 1) stages.tool("llvm-link", [...modules, "-o", merged]);
    stages.keepFile("input.bc", merged);

    // Separately compiled modules (no LTO) get the whole-program optimisation rustc's fat LTO would have done.
    const passes = modules.length > 1 ? `internalize,globaldce,default<O${pipelineLevel(invocation.optLevel)}>` : "internalize,globaldce";
    const internalized = stages.tool("opt", ["--strip-debug", `-internalize-public-api-list=${ENTRYPOINT_SYMBOL}`, `-passes=${passes}`, "-S", merged, "-o", "-"]).toString("utf8");
    stages.keep("internalized.ll", internalized);

    const module = parseIrModule(internalized);
    if (!hasEntrypoint(module, ENTRYPOINT_SYMBOL)) {
      // A program crate built as another program's dependency (crate-type ["cdylib", "lib"] with its
      // `no-entrypoint` feature, as Anchor's CPI crates): cargo links its cdylib anyway, and lld would
      // write an undeployable file without complaint. Write an empty one, which no loader accepts.
      writeNewFile(invocation.output, Buffer.alloc(0));
      process.stderr.write(`sbpf-ld: warning: no \`${ENTRYPOINT_SYMBOL}\` (built with no-entrypoint?): ${invocation.output} is an empty placeholder\n`);
      return;
    }
    checkEntrypoint(module, ENTRYPOINT_SYMBOL);
    checkNoFloatingPoint(module);
    const rewritten = rewriteForBpf(internalized, { entrySymbol: ENTRYPOINT_SYMBOL, inlineMemoryLimit: settings.inlineMemoryLimit });
    stages.note(`IR rewrites: ${JSON.stringify(rewritten.stats)}`);
    stages.keep("rewritten.ll", rewritten.text);

    const inlined = stages.tool("opt", ["-passes=always-inline,globaldce", "-S", "-", "-o", "-"], rewritten.text).toString("utf8");
    stages.keep("inlined.ll", inlined);
    checkCallsAreLowerable(parseIrModule(inlined), ENTRYPOINT_SYMBOL);

    const object = compile(inlined, invocation.optLevel, settings.sbpfVersion, stages);
    stages.keep("program.o", object);
    const { elf, summary } = linkSharedObject(object, { version: settings.sbpfVersion });
    writeNewFile(invocation.output, elf);
    stages.note(`SBPF v${settings.sbpfVersion}: text ${summary.textBytes} B, rodata ${summary.rodataBytes} B, syscalls ${summary.syscalls.join(" ")}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
    stages.done();
  }
}

/**
 * Writes `data` to a new inode: cargo hard-links its outputs (deps/libx.so -> libx.so), so writing in
 * place would change the program cargo already delivered when the same crate is linked again as a
 * dependency.
 */
function writeNewFile(file: string, data: Buffer): void {
  rmSync(file, { force: true });
  writeFileSync(file, data);
}

function hasEntrypoint(module: ReturnType<typeof parseIrModule>, entrySymbol: string): boolean {
  return module.functions.some((fn) => fn.name === entrySymbol && !fn.isDeclaration);
}

function compile(ir: string, optLevel: string, version: SbpfVersion, stages: StageRecorder): Buffer {
  const args = (stackLimit: number): string[] => [
    "-march=bpfel",
    `-mcpu=${CODEGEN[version].cpu}`,
    `-mattr=${CODEGEN[version].attributes}`,
    `-O${codegenLevel(optLevel)}`,
    ...sizeCodegenFlags(optLevel),
    "-filetype=obj",
    `-bpf-stack-size=${stackLimit}`,
    "--bpf-disable-trap-unreachable",
    // LLVM 22's MergeICmps crashes on BPF turning a chain of word compares (a 32-byte key
    // compare in a function of its own) into memcmp, which SBPF would call as a syscall anyway.
    "--disable-mergeicmps",
    "-",
    "-o",
    "-",
  ];
  try {
    return stages.tool("llc", args(STACK_FRAME_SIZE), ir);
  } catch (error) {
    if (!(error instanceof LlvmToolError)) throw error;
    // llc names the function but not the frame size: compile once more without the limit to measure it.
    const stackUse = isStackLimitFailure(error.stderr) ? measureWithoutStackLimit(ir, args) : new Map<string, number>();
    const explanation = explainLlcFailure(error.stderr, stackUse);
    if (explanation) throw new SbpfError(explanation);
    throw error;
  }
}

function measureWithoutStackLimit(ir: string, args: (stackLimit: number) => string[]): ReadonlyMap<string, number> {
  try {
    return measureStackUse(runLlvmTool("llc", args(1 << 30), { input: ir }));
  } catch {
    return new Map();
  }
}

/** opt's default pipelines: O0-O3, Os, Oz, like rustc's levels. */
function pipelineLevel(rustcLevel: string): string {
  return /^[0-3sz]$/.test(rustcLevel) ? rustcLevel : "3";
}

/**
 * llc's size knobs for rustc's size levels (s, z), which llc itself lacks: live ranges split and spilled
 * for fewer instructions rather than fewer executed (0.4% smaller programs here, CU unchanged within noise).
 */
export function sizeCodegenFlags(rustcLevel: string): string[] {
  return /^[sz]$/.test(rustcLevel) ? ["-split-spill-mode=size"] : [];
}

/** llc knows O0-O3 only; size levels codegen as O2. */
function codegenLevel(rustcLevel: string): string {
  return /^[0-3]$/.test(rustcLevel) ? rustcLevel : "2";
}

const BITCODE_MAGIC = 0xdec04342; // "BC\xC0\xDE" read little-endian
const BITCODE_WRAPPER_MAGIC = 0x0b17c0de;

function isBitcode(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const magic = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  return magic === BITCODE_MAGIC || magic === BITCODE_WRAPPER_MAGIC;
}

/** Paths of all bitcode modules among the inputs; archive members are extracted into `work`. */
function collectBitcode(inputs: readonly string[], work: string): string[] {
  const modules: string[] = [];
  inputs.forEach((input, inputIndex) => {
    const head = readHead(input, 8);
    if (head.toString("latin1") === "!<arch>\n") {
      readArchive(readFileSync(input), input).forEach((member, memberIndex) => {
        if (!isBitcode(member.data)) return; // lib.rmeta and other metadata
        const file = path.join(work, `archive${inputIndex}-${memberIndex}.bc`);
        writeFileSync(file, member.data);
        modules.push(file);
      });
    } else if (isBitcode(head)) {
      modules.push(input);
    } else if (isSymbolsOnlyObject(input, head)) {
      // rustc's symbols.o: an empty native object that only names symbols to keep; entrypoint is kept anyway.
    } else {
      throw new SbpfError(`${input} is not LLVM bitcode: sbpf-ld links the bitcode objects rustc emits for bpfel-unknown-none`);
    }
  });
  if (modules.length === 0) throw new SbpfError("no LLVM bitcode among the inputs");
  return modules;
}

/** An ELF object with no loadable contents (no code, no data), such as the symbols.o rustc adds. */
function isSymbolsOnlyObject(file: string, head: Buffer): boolean {
  if (head.readUInt32BE(0) !== ELF_MAGIC) return false;
  const elf = readElf(readFileSync(file), file);
  return elf.sections.every((section) => (section.flags & SHF_ALLOC) === 0n || section.size === 0);
}

function readHead(file: string, size: number): Buffer {
  const head = Buffer.alloc(size);
  const fd = openSync(file, "r");
  try {
    const read = readSync(fd, head, 0, size, 0);
    return head.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/** Runs tools, keeps intermediates when asked and reports timings when verbose. */
class StageRecorder {
  private readonly started = performance.now();

  constructor(private readonly settings: DriverSettings) {
    if (settings.keepDirectory) mkdirSync(settings.keepDirectory, { recursive: true });
  }

  tool(tool: "llvm-link" | "opt" | "llc", args: readonly string[], input?: string): Buffer {
    return runLlvmTool(tool, args, { verbose: this.settings.verbose, input });
  }

  keep(name: string, contents: string | Buffer): void {
    if (this.settings.keepDirectory) writeFileSync(path.join(this.settings.keepDirectory, name), contents);
  }

  keepFile(name: string, file: string): void {
    if (this.settings.keepDirectory) writeFileSync(path.join(this.settings.keepDirectory, name), readFileSync(file));
  }

  note(message: string): void {
    if (this.settings.verbose) process.stderr.write(`[sbpf-ld] ${message}\n`);
  }

  done(): void {
    this.note(`total ${(performance.now() - this.started).toFixed(0)} ms`);
  }
}
