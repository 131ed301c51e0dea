import { SbpfError } from "./errors.js";
import { R_BPF_64_32, SHF_ALLOC, SHF_EXECINSTR, SHF_WRITE, SHN_UNDEF, SHT_NOBITS } from "./elf/constants.js";
import { readRelocatable, sectionBytes, type RelocatableObject, type Section } from "./elf/reader.js";
import {
  alignUp, planLayout, rodataStartPadding, writeSharedObject, type DynamicCall, type SegmentLayout,
} from "./elf/writer.js";
import { CALL_SRC_INTERNAL, CALL_SRC_SYSCALL, INSTRUCTION_SIZE, OP_CALL, readInstruction } from "./bpf/instructions.js";
import { murmur3_32 } from "./murmur3.js";
import { ObjectSymbols } from "./object-symbols.js";
import { applyRelocations, type ExternalCall, type MergedImage, type PlacedSection } from "./relocations.js";
import type { SbpfVersion } from "./sbpf-version.js";
import { AGAVE_SYSCALLS, UNDEPLOYABLE_SYSCALLS, resolveSyscall, syscallHash } from "./syscalls.js";
import { validateText, type TextFunction } from "./validate.js";

export const ENTRYPOINT_SYMBOL = "entrypoint";
/** Largest section alignment honoured in the VM; anything above is a page and means nothing to SBPF. */
const MAX_SECTION_ALIGNMENT = 4096;

export interface LinkOptions {
  readonly version: SbpfVersion;
  readonly entrySymbol?: string;
}

export interface LinkSummary {
  readonly textBytes: number;
  readonly rodataBytes: number;
  readonly syscalls: readonly string[];
  readonly stackUse: ReadonlyMap<string, number>;
}

export interface LinkResult {
  readonly elf: Buffer;
  readonly summary: LinkSummary;
}

/**
 * The post-linker: turns the relocatable BPF object llc wrote into an SBPF shared object the Agave loader
 * accepts. Merges code into one .text and read-only data into one .rodata, refuses writable data, resolves
 * relocations statically, turns calls to undefined symbols into syscalls, validates every instruction
 * against the target SBPF version and writes the v0 or v3 file layout.
 */
export function linkSharedObject(objectBytes: Uint8Array, options: LinkOptions): LinkResult {
  const { version } = options;
  const object = readRelocatable(objectBytes);
  const symbols = new ObjectSymbols(object);
  const { text: textSections, rodata: rodataSections } = classifySections(object, symbols);
  if (textSections.length === 0) throw new SbpfError("the program has no code (no executable sections)");

  const textPlan = planSections(textSections, 0, INSTRUCTION_SIZE);
  const rodataPlan = planSections(rodataSections, rodataStartPadding(version), 1);
  const rodataSize = alignUp(rodataPlan.size, INSTRUCTION_SIZE);
  const layout = planLayout(version, {
    textSize: textPlan.size,
    rodataSize,
    rodataAlignment: rodataPlan.alignment,
    hasDynamicCalls: version === 0 && hasExternalCalls(object, textSections),
  });
  const image = mergeSections(object, layout, textPlan, rodataPlan, rodataSize);

  const relocation = applyRelocations(object, symbols, image);
  const syscalls = resolveSyscalls(relocation.externalCalls);
  const functions = textFunctions(symbols, image);
  const validation = validateText({ text: image.text, version, relocatedCalls: relocation.relocatedCalls, functions });
  if (validation.problems.length > 0) throw new SbpfError(summariseProblems("instructions SBPF cannot run", validation.problems));

  const entryOffset = findEntry(options.entrySymbol ?? ENTRYPOINT_SYMBOL, symbols, image);
  if (version === 0) checkV0CallKeys(image.text, entryOffset);
  const dynamicCalls = encodeSyscalls(image.text, syscalls, version);
  const elf = writeSharedObject({ version, layout, text: image.text, rodata: image.rodata, entryOffset, dynamicCalls });
  return {
    elf,
    summary: {
      textBytes: image.text.length,
      rodataBytes: image.rodata.length,
      syscalls: [...new Set(syscalls.map((call) => call.name))].sort(),
      stackUse: validation.stackUse,
    },
  };
}

/**
 * Deepest stack use per function of an object, without linking it. The driver uses it to explain llc's
 * "BPF stack limit is exceeded" with the function and the number of bytes.
 */
export function measureStackUse(objectBytes: Uint8Array): ReadonlyMap<string, number> {
  const object = readRelocatable(objectBytes);
  const symbols = new ObjectSymbols(object);
  const stackUse = new Map<string, number>();
  for (const section of object.sections) {
    if ((section.flags & SHF_EXECINSTR) === 0n || section.size === 0) continue;
    const placements = new Map<number, PlacedSection>([[section.index, { section, region: "text", bufferOffset: 0, vaddr: 0n }]]);
    const text = Buffer.from(sectionBytes(object, section));
    const functions = textFunctions(symbols, { text, rodata: Buffer.alloc(0), placements });
    const result = validateText({ text, version: 3, relocatedCalls: new Set(), functions });
    for (const [name, bytes] of result.stackUse) stackUse.set(name, Math.max(bytes, stackUse.get(name) ?? 0));
  }
  return stackUse;
}

/** Splits loaded sections into code and read-only data; refuses everything writable, naming what it holds. */
function classifySections(object: RelocatableObject, symbols: ObjectSymbols): { text: Section[]; rodata: Section[] } {
  const text: Section[] = [];
  const rodata: Section[] = [];
  const refused: string[] = [];
  for (const section of object.sections) {
    if ((section.flags & SHF_ALLOC) === 0n || section.size === 0 || UNWIND_SECTIONS.test(section.name)) continue;
    if ((section.flags & SHF_EXECINSTR) !== 0n) {
      text.push(section);
    } else if (section.type === SHT_NOBITS || ((section.flags & SHF_WRITE) !== 0n && !isRelroSection(section.name))) {
      refused.push(describeWritableSection(section, symbols));
    } else {
      rodata.push(section);
    }
  }
  for (const common of symbols.commonSymbols()) {
    refused.push(`common symbol \`${symbols.displayName(common)}\` (${common.size} bytes, uninitialised global)`);
  }
  if (refused.length > 0) {
    throw new SbpfError(
      `writable static data is not supported on SBPF:\n  ${refused.join("\n  ")}\n` +
        "A program's own memory is read-only at runtime: keep mutable state in account data or in locals, and make statics immutable (`static`, not `static mut`; no Cell, RefCell or atomics inside).",
    );
  }
  return { text, rodata };
}

/** Unwind tables: SBPF programs abort on panic and nothing reads them, so they are dropped. */
const UNWIND_SECTIONS = /^(?:\.eh_frame|\.gcc_except_table)(?:\.|$)/;

/** `.data.rel.ro*` is writable only so that a dynamic linker could relocate it; we relocate statically. */
function isRelroSection(name: string): boolean {
  return name === ".data.rel.ro" || name.startsWith(".data.rel.ro.");
}

function describeWritableSection(section: Section, symbols: ObjectSymbols): string {
  const held = symbols.objectsIn(section.index).map((symbol) => `\`${symbols.displayName(symbol)}\` (${symbol.size} bytes)`);
  const contents = held.length > 0 ? `holds ${held.join(", ")}` : `holds ${section.size} bytes of unnamed data`;
  return `section ${section.name} ${contents}`;
}

interface SectionPlan {
  readonly sections: readonly Section[];
  readonly offsets: readonly number[];
  readonly size: number;
  readonly alignment: number;
}

/** Places sections one after another from `start`, each at its own alignment (at least `minimumAlignment`). */
function planSections(sections: readonly Section[], start: number, minimumAlignment: number): SectionPlan {
  const offsets: number[] = [];
  let cursor = start;
  let alignment = INSTRUCTION_SIZE;
  for (const section of sections) {
    const sectionAlignment = Math.min(Math.max(section.addrAlign, minimumAlignment), MAX_SECTION_ALIGNMENT);
    alignment = Math.max(alignment, sectionAlignment);
    cursor = alignUp(cursor, sectionAlignment);
    offsets.push(cursor);
    cursor += section.size;
  }
  return { sections, offsets, size: alignUp(cursor, minimumAlignment), alignment };
}

function mergeSections(
  object: RelocatableObject,
  layout: SegmentLayout,
  textPlan: SectionPlan,
  rodataPlan: SectionPlan,
  rodataSize: number,
): MergedImage {
  const text = Buffer.alloc(textPlan.size);
  const rodata = Buffer.alloc(rodataSize);
  const placements = new Map<number, PlacedSection>();
  textPlan.sections.forEach((section, i) => {
    const bufferOffset = textPlan.offsets[i]!;
    if (section.size % INSTRUCTION_SIZE !== 0) throw new SbpfError(`code section ${section.name} is not a whole number of instructions`);
    sectionBytes(object, section).copy(text, bufferOffset);
    placements.set(section.index, { section, region: "text", bufferOffset, vaddr: layout.textVaddr + BigInt(bufferOffset) });
  });
  rodataPlan.sections.forEach((section, i) => {
    const bufferOffset = rodataPlan.offsets[i]!;
    sectionBytes(object, section).copy(rodata, bufferOffset);
    placements.set(section.index, { section, region: "rodata", bufferOffset, vaddr: layout.rodataVaddr + BigInt(bufferOffset) });
  });
  return { text, rodata, placements };
}

function hasExternalCalls(object: RelocatableObject, textSections: readonly Section[]): boolean {
  const textIndexes = new Set(textSections.map((section) => section.index));
  return object.relocations.some(
    (relocation) =>
      relocation.type === R_BPF_64_32 &&
      textIndexes.has(relocation.targetSection) &&
      object.symbols[relocation.symbolIndex]?.sectionIndex === SHN_UNDEF,
  );
}

function textFunctions(symbols: ObjectSymbols, image: MergedImage): TextFunction[] {
  const functions: TextFunction[] = [];
  for (const placed of image.placements.values()) {
    if (placed.region !== "text") continue;
    for (const fn of symbols.functionsIn(placed.section.index)) {
      const start = placed.bufferOffset + Number(fn.value);
      const size = fn.size > 0n ? Number(fn.size) : INSTRUCTION_SIZE;
      functions.push({ name: symbols.displayName(fn), start, end: start + size });
    }
  }
  return functions;
}

interface ResolvedSyscall extends ExternalCall {
  readonly name: string;
  readonly hash: number;
}

/** Every external call must name an Agave syscall; anything else is refused with its callers. */
function resolveSyscalls(calls: readonly ExternalCall[]): ResolvedSyscall[] {
  const resolved: ResolvedSyscall[] = [];
  const refused = new Map<string, { reason: string; callers: Set<string> }>();
  for (const call of calls) {
    const resolution = resolveSyscall(call.symbol);
    if (resolution.kind === "syscall") {
      resolved.push({ ...call, name: resolution.name, hash: resolution.hash });
      continue;
    }
    const reason =
      resolution.kind === "undeployable"
        ? `a syscall the runtime no longer accepts in new programs: ${resolution.reason}`
        : `not a Solana syscall${resolution.suggestion ? ` (did you mean \`${resolution.suggestion}\`?)` : ""}; an SBPF program cannot link other code at run time, so every function it calls must be compiled into it or be a syscall`;
    const entry = refused.get(call.symbol) ?? { reason, callers: new Set<string>() };
    entry.callers.add(call.caller);
    refused.set(call.symbol, entry);
  }
  if (refused.size > 0) {
    const lines = [...refused].map(
      ([symbol, { reason, callers }]) => `undefined symbol \`${symbol}\` called from ${[...callers].map((c) => `\`${c}\``).join(", ")}: ${reason}`,
    );
    throw new SbpfError(lines.join("\n"));
  }
  return resolved;
}

function findEntry(name: string, symbols: ObjectSymbols, image: MergedImage): number {
  const entry = symbols.find(name);
  const placed = entry ? image.placements.get(entry.sectionIndex) : undefined;
  if (!entry || !placed || placed.region !== "text") {
    throw new SbpfError(`no \`${name}\` function in the program: define \`#[no_mangle] pub unsafe extern "C" fn ${name}(input: *mut u8) -> u64\``);
  }
  return placed.bufferOffset + Number(entry.value);
}

/**
 * The v0 loader registers every internal call target under murmur3(target pc as u64 LE) next to the
 * syscalls and `entrypoint`; a clash fails deployment with "Symbol hash collision". Refuse it here instead.
 */
function checkV0CallKeys(text: Buffer, entryOffset: number): void {
  const taken = new Map<number, string>();
  for (const name of [...AGAVE_SYSCALLS, ...Object.keys(UNDEPLOYABLE_SYSCALLS)]) taken.set(syscallHash(name), `syscall ${name}`);
  const entryPc = entryOffset / INSTRUCTION_SIZE;
  taken.set(syscallHash(ENTRYPOINT_SYMBOL), `entrypoint@${entryPc}`);
  const count = text.length / INSTRUCTION_SIZE;
  for (let index = 0; index < count; index++) {
    const instruction = readInstruction(text, index * INSTRUCTION_SIZE);
    if (instruction.opcode !== OP_CALL || instruction.src !== CALL_SRC_INTERNAL) continue;
    const targetPc = index + 1 + instruction.imm;
    const pcBytes = Buffer.alloc(8);
    pcBytes.writeBigUInt64LE(BigInt(targetPc));
    const key = murmur3_32(pcBytes);
    const owner = taken.get(key);
    const mine = `function@${targetPc}`;
    if (owner !== undefined && owner !== mine && owner !== `entrypoint@${targetPc}`) {
      throw new SbpfError(`call target at instruction ${targetPc} hashes to 0x${key.toString(16)}, the key of ${owner}; the v0 loader would refuse the program (change the code layout, e.g. reorder functions, or link for --sbpf-version 3)`);
    }
    taken.set(key, mine);
  }
}

/** v0: `call -1` plus a dynamic relocation the loader resolves by name; v3: `call` with the hash, src 0. */
function encodeSyscalls(text: Buffer, syscalls: readonly ResolvedSyscall[], version: SbpfVersion): DynamicCall[] {
  const dynamicCalls: DynamicCall[] = [];
  for (const call of syscalls) {
    text[call.textOffset + 1] = (text[call.textOffset + 1]! & 0x0f) | (CALL_SRC_SYSCALL << 4);
    if (version === 3) {
      text.writeUInt32LE(call.hash, call.textOffset + 4);
    } else {
      text.writeInt32LE(-1, call.textOffset + 4);
      dynamicCalls.push({ textOffset: call.textOffset, symbol: call.name });
    }
  }
  return dynamicCalls;
}

function summariseProblems(title: string, problems: readonly string[]): string {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : "";
  return problems.length === 1 ? problems[0]! : `${title}:\n  ${shown.join("\n  ")}${more}`;
}

