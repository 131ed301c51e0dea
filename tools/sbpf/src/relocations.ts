import { SbpfError } from "./errors.js";
import {
  BPF_RELOCATION_NAMES, R_BPF_64_32, R_BPF_64_64, R_BPF_64_ABS32, R_BPF_64_ABS64, R_BPF_64_NODYLD32, R_BPF_NONE,
  SHN_ABS, SHN_UNDEF,
} from "./elf/constants.js";
import type { ElfSymbol, RelocatableObject, Relocation, Section } from "./elf/reader.js";
import { CALL_SRC_INTERNAL, INSTRUCTION_SIZE, OP_CALL, OP_LDDW } from "./bpf/instructions.js";
import type { ObjectSymbols } from "./object-symbols.js";

/** An input section copied into the merged text or rodata buffer. */
export interface PlacedSection {
  readonly section: Section;
  readonly region: "text" | "rodata";
  /** Offset of the section's first byte inside its merged buffer. */
  readonly bufferOffset: number;
  /** VM address of the section's first byte. */
  readonly vaddr: bigint;
}

export interface MergedImage {
  readonly text: Buffer;
  readonly rodata: Buffer;
  /** Placed sections by input section index. */
  readonly placements: ReadonlyMap<number, PlacedSection>;
}

/** A call to a symbol the object does not define: it must become a syscall. */
export interface ExternalCall {
  /** Offset of the `call` instruction inside merged text. */
  readonly textOffset: number;
  readonly symbol: string;
  /** Readable name of the calling function. */
  readonly caller: string;
}

export interface RelocationResult {
  readonly externalCalls: readonly ExternalCall[];
  /** Text offsets of every `call` a relocation resolved (internal or external). */
  readonly relocatedCalls: ReadonlySet<number>;
}

const U32_MAX = 0xffffffffn;
const U64_MASK = (1n << 64n) - 1n;

/**
 * Resolves every relocation of the loaded sections to final VM addresses, in place, so that the output needs
 * no load-time fixups except syscalls: lddw immediates (R_BPF_64_64), data words (R_BPF_64_ABS64/ABS32/NODYLD32)
 * and pc-relative internal calls (R_BPF_64_32). Relocations of sections that are not loaded (debug, BTF) are
 * dropped with them. Unknown kinds are refused, naming the symbol.
 */
export function applyRelocations(object: RelocatableObject, symbols: ObjectSymbols, image: MergedImage): RelocationResult {
  const externalCalls: ExternalCall[] = [];
  const relocatedCalls = new Set<number>();
  const problems: string[] = [];
  for (const relocation of object.relocations) {
    const target = image.placements.get(relocation.targetSection);
    if (!target) continue;
    const symbol = symbols.symbol(relocation.symbolIndex);
    if (!symbol) throw new SbpfError(`relocation in ${target.section.name} refers to missing symbol #${relocation.symbolIndex}`);
    const site: RelocationSite = {
      relocation,
      target,
      symbol,
      buffer: target.region === "text" ? image.text : image.rodata,
      position: target.bufferOffset + relocation.offset,
      symbolName: symbols.displayName(symbol),
      where: symbols.describeLocation(relocation.targetSection, relocation.offset),
    };
    switch (relocation.type) {
      case R_BPF_NONE:
        break;
      case R_BPF_64_64:
        relocateLoadDoubleWord(site, image, problems);
        break;
      case R_BPF_64_ABS64:
        relocateAbsolute64(site, image, problems);
        break;
      case R_BPF_64_ABS32:
      case R_BPF_64_NODYLD32:
        relocateAbsolute32(site, image, problems);
        break;
      case R_BPF_64_32: {
        relocatedCalls.add(site.position);
        const external = relocateCall(site, image);
        if (external) externalCalls.push(external);
        break;
      }
      default:
        throw new SbpfError(
          `unsupported relocation type ${relocation.type}${BPF_RELOCATION_NAMES[relocation.type] ? ` (${BPF_RELOCATION_NAMES[relocation.type]})` : ""} against symbol \`${site.symbolName}\` in ${site.where}; sbpf-ld handles R_BPF_NONE, R_BPF_64_64, R_BPF_64_ABS64, R_BPF_64_ABS32, R_BPF_64_NODYLD32 and R_BPF_64_32`,
        );
    }
  }
  if (problems.length > 0) throw new SbpfError(problems.join("\n"));
  return { externalCalls, relocatedCalls };
}

interface RelocationSite {
  readonly relocation: Relocation;
  readonly target: PlacedSection;
  readonly symbol: ElfSymbol;
  readonly buffer: Buffer;
  readonly position: number;
  readonly symbolName: string;
  readonly where: string;
}

/** VM address of a defined symbol; `undefined` when the object does not define it. */
function symbolAddress(symbol: ElfSymbol, image: MergedImage): bigint | undefined {
  if (symbol.sectionIndex === SHN_UNDEF) return undefined;
  if (symbol.sectionIndex === SHN_ABS) return symbol.value;
  const placed = image.placements.get(symbol.sectionIndex);
  if (!placed) throw new SbpfError(`symbol index ${symbol.index} (${symbol.name || "section"}) lives in section #${symbol.sectionIndex}, which is not loaded`);
  return placed.vaddr + symbol.value;
}

function relocateLoadDoubleWord(site: RelocationSite, image: MergedImage, problems: string[]): void {
  const { buffer, position } = site;
  if (site.target.region !== "text" || buffer[position] !== OP_LDDW) {
    throw new SbpfError(`R_BPF_64_64 against \`${site.symbolName}\` in ${site.where} does not patch an lddw instruction`);
  }
  const address = symbolAddress(site.symbol, image);
  if (address === undefined) {
    problems.push(`undefined data symbol \`${site.symbolName}\` referenced from \`${site.where}\`: SBPF programs cannot import data; extern statics are not supported`);
    return;
  }
  const addend = site.relocation.addend ?? BigInt(buffer.readUInt32LE(position + 4));
  const value = (address + addend) & U64_MASK;
  buffer.writeUInt32LE(Number(value & U32_MAX), position + 4);
  buffer.writeUInt32LE(Number(value >> 32n), position + INSTRUCTION_SIZE + 4);
}

function relocateAbsolute64(site: RelocationSite, image: MergedImage, problems: string[]): void {
  const address = symbolAddress(site.symbol, image);
  if (address === undefined) {
    problems.push(`undefined symbol \`${site.symbolName}\` referenced from \`${site.where}\` (R_BPF_64_ABS64): SBPF programs cannot import symbols other than syscalls`);
    return;
  }
  const addend = site.relocation.addend ?? site.buffer.readBigUInt64LE(site.position);
  site.buffer.writeBigUInt64LE((address + addend) & U64_MASK, site.position);
}

function relocateAbsolute32(site: RelocationSite, image: MergedImage, problems: string[]): void {
  const kind = BPF_RELOCATION_NAMES[site.relocation.type]!;
  const address = symbolAddress(site.symbol, image);
  if (address === undefined) {
    problems.push(`undefined symbol \`${site.symbolName}\` referenced from \`${site.where}\` (${kind}): SBPF programs cannot import symbols other than syscalls`);
    return;
  }
  const addend = site.relocation.addend ?? BigInt(site.buffer.readUInt32LE(site.position));
  const value = address + addend;
  if (value < 0n || value > U32_MAX) {
    problems.push(`${kind} against \`${site.symbolName}\` in ${site.where} cannot hold VM address 0x${value.toString(16)} in 32 bits (only v3 read-only data lies below 4 GiB)`);
    return;
  }
  site.buffer.writeUInt32LE(Number(value), site.position);
}

/** Patches an internal call to a pc-relative `call`; returns the site when the callee is external. */
function relocateCall(site: RelocationSite, image: MergedImage): ExternalCall | undefined {
  const { buffer, position } = site;
  if (site.target.region !== "text" || buffer[position] !== OP_CALL) {
    throw new SbpfError(`R_BPF_64_32 against \`${site.symbolName}\` in ${site.where} does not patch a call instruction`);
  }
  const address = symbolAddress(site.symbol, image);
  if (address === undefined) return { textOffset: position, symbol: site.symbol.name, caller: site.where };
  const callee = image.placements.get(site.symbol.sectionIndex);
  if (!callee || callee.region !== "text") {
    throw new SbpfError(`\`${site.where}\` calls \`${site.symbolName}\`, which is not code`);
  }
  // REL calls keep the callee's offset in the immediate as (offset / 8) - 1 (LLVM BPF convention).
  const addend = site.relocation.addend ?? (BigInt(buffer.readInt32LE(position + 4)) + 1n) * BigInt(INSTRUCTION_SIZE);
  const targetOffset = callee.bufferOffset + Number(address - callee.vaddr + addend);
  const distance = targetOffset - position - INSTRUCTION_SIZE;
  if (distance % INSTRUCTION_SIZE !== 0) {
    throw new SbpfError(`call from \`${site.where}\` to \`${site.symbolName}\` lands between instructions`);
  }
  buffer.writeInt32LE(distance / INSTRUCTION_SIZE, position + 4);
  buffer[position + 1] = (buffer[position + 1]! & 0x0f) | (CALL_SRC_INTERNAL << 4);
  return undefined;
}
