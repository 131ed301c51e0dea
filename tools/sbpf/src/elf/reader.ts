import { SbpfError } from "../errors.js";
import {
  ELF_HEADER_SIZE, ELF_MAGIC, ELFCLASS64, ELFDATA2LSB, EM_BPF, ET_REL, PROGRAM_HEADER_SIZE, RELA_SIZE, REL_SIZE,
  SECTION_HEADER_SIZE, SHT_DYNSYM, SHT_NOBITS, SHT_REL, SHT_RELA, SHT_SYMTAB, SYMBOL_SIZE,
} from "./constants.js";

export interface ElfHeader {
  readonly type: number;
  readonly machine: number;
  readonly version: number;
  readonly osAbi: number;
  readonly abiVersion: number;
  readonly entry: bigint;
  readonly programHeaderOffset: number;
  readonly sectionHeaderOffset: number;
  readonly flags: number;
  readonly headerSize: number;
  readonly programHeaderEntrySize: number;
  readonly programHeaderCount: number;
  readonly sectionHeaderEntrySize: number;
  readonly sectionHeaderCount: number;
  readonly sectionNameTableIndex: number;
}

export interface ProgramHeader {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: bigint;
  readonly paddr: bigint;
  readonly fileSize: number;
  readonly memorySize: number;
  readonly align: number;
}

export interface Section {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: bigint;
  readonly addr: bigint;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addrAlign: number;
  readonly entrySize: number;
}

export interface ElfSymbol {
  readonly index: number;
  readonly name: string;
  readonly bind: number;
  readonly type: number;
  readonly sectionIndex: number;
  readonly value: bigint;
  readonly size: bigint;
}

export interface Relocation {
  /** Index of the section the relocation patches. */
  readonly targetSection: number;
  readonly offset: number;
  readonly type: number;
  readonly symbolIndex: number;
  /** Explicit addend (RELA); `undefined` for REL, whose addend is stored in the patched bytes. */
  readonly addend: bigint | undefined;
}

export interface ElfFile {
  readonly bytes: Buffer;
  readonly header: ElfHeader;
  readonly programHeaders: readonly ProgramHeader[];
  readonly sections: readonly Section[];
}

export interface RelocatableObject extends ElfFile {
  readonly symbols: readonly ElfSymbol[];
  readonly relocations: readonly Relocation[];
}

/** Parses the headers of a little-endian ELF64 file; `what` names the file in error messages. */
export function readElf(input: Uint8Array, what = "input"): ElfFile {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length < ELF_HEADER_SIZE || bytes.readUInt32BE(0) !== ELF_MAGIC) {
    throw new SbpfError(`${what} is not an ELF file`);
  }
  if (bytes[4] !== ELFCLASS64 || bytes[5] !== ELFDATA2LSB) throw new SbpfError(`${what} is not a little-endian ELF64 file`);
  const header: ElfHeader = {
    type: bytes.readUInt16LE(16),
    machine: bytes.readUInt16LE(18),
    version: bytes.readUInt32LE(20),
    osAbi: bytes[7]!,
    abiVersion: bytes[8]!,
    entry: bytes.readBigUInt64LE(24),
    programHeaderOffset: Number(bytes.readBigUInt64LE(32)),
    sectionHeaderOffset: Number(bytes.readBigUInt64LE(40)),
    flags: bytes.readUInt32LE(48),
    headerSize: bytes.readUInt16LE(52),
    programHeaderEntrySize: bytes.readUInt16LE(54),
    programHeaderCount: bytes.readUInt16LE(56),
    sectionHeaderEntrySize: bytes.readUInt16LE(58),
    sectionHeaderCount: bytes.readUInt16LE(60),
    sectionNameTableIndex: bytes.readUInt16LE(62),
  };
  const programHeaders = readProgramHeaders(bytes, header, what);
  const sections = readSections(bytes, header, what);
  return { bytes, header, programHeaders, sections };
}

/** Parses an ET_REL object for EM_BPF as produced by llc or llvm-mc: sections, symbols and relocations. */
export function readRelocatable(input: Uint8Array, what = "object"): RelocatableObject {
  const elf = readElf(input, what);
  if (elf.header.type !== ET_REL) throw new SbpfError(`${what}: expected a relocatable object (ET_REL), got e_type ${elf.header.type}`);
  if (elf.header.machine !== EM_BPF) throw new SbpfError(`${what}: expected a BPF object (e_machine ${EM_BPF}), got ${elf.header.machine}`);
  const symbolTable = elf.sections.find((section) => section.type === SHT_SYMTAB);
  const symbols = symbolTable ? readSymbols(elf, symbolTable) : [];
  return { ...elf, symbols, relocations: readRelocations(elf) };
}

/** Reads the entries of a SHT_SYMTAB or SHT_DYNSYM section, names resolved through its linked string table. */
export function readSymbols(elf: ElfFile, table: Section): ElfSymbol[] {
  if (table.type !== SHT_SYMTAB && table.type !== SHT_DYNSYM) throw new SbpfError(`section ${table.name} is not a symbol table`);
  const names = elf.sections[table.link];
  if (!names) throw new SbpfError(`symbol table ${table.name} links to missing string table ${table.link}`);
  const symbols: ElfSymbol[] = [];
  for (let offset = table.offset, index = 0; offset < table.offset + table.size; offset += SYMBOL_SIZE, index++) {
    const info = elf.bytes[offset + 4]!;
    symbols.push({
      index,
      name: readString(elf.bytes, names, elf.bytes.readUInt32LE(offset)),
      bind: info >> 4,
      type: info & 0xf,
      sectionIndex: elf.bytes.readUInt16LE(offset + 6),
      value: elf.bytes.readBigUInt64LE(offset + 8),
      size: elf.bytes.readBigUInt64LE(offset + 16),
    });
  }
  return symbols;
}

/** The bytes a section occupies in the file (empty for SHT_NOBITS). */
export function sectionBytes(elf: ElfFile, section: Section): Buffer {
  if (section.type === SHT_NOBITS) return Buffer.alloc(0);
  return elf.bytes.subarray(section.offset, section.offset + section.size);
}

export function findSection(elf: ElfFile, name: string): Section | undefined {
  return elf.sections.find((section) => section.name === name);
}

function readProgramHeaders(bytes: Buffer, header: ElfHeader, what: string): ProgramHeader[] {
  const end = header.programHeaderOffset + header.programHeaderCount * PROGRAM_HEADER_SIZE;
  if (header.programHeaderCount > 0 && end > bytes.length) throw new SbpfError(`${what}: program header table out of bounds`);
  const headers: ProgramHeader[] = [];
  for (let i = 0; i < header.programHeaderCount; i++) {
    const at = header.programHeaderOffset + i * PROGRAM_HEADER_SIZE;
    headers.push({
      type: bytes.readUInt32LE(at),
      flags: bytes.readUInt32LE(at + 4),
      offset: Number(bytes.readBigUInt64LE(at + 8)),
      vaddr: bytes.readBigUInt64LE(at + 16),
      paddr: bytes.readBigUInt64LE(at + 24),
      fileSize: Number(bytes.readBigUInt64LE(at + 32)),
      memorySize: Number(bytes.readBigUInt64LE(at + 40)),
      align: Number(bytes.readBigUInt64LE(at + 48)),
    });
  }
  return headers;
}

function readSections(bytes: Buffer, header: ElfHeader, what: string): Section[] {
  const end = header.sectionHeaderOffset + header.sectionHeaderCount * SECTION_HEADER_SIZE;
  if (header.sectionHeaderCount > 0 && end > bytes.length) throw new SbpfError(`${what}: section header table out of bounds`);
  const raw: Omit<Section, "name">[] = [];
  const nameOffsets: number[] = [];
  for (let index = 0; index < header.sectionHeaderCount; index++) {
    const at = header.sectionHeaderOffset + index * SECTION_HEADER_SIZE;
    nameOffsets.push(bytes.readUInt32LE(at));
    const section = {
      index,
      type: bytes.readUInt32LE(at + 4),
      flags: bytes.readBigUInt64LE(at + 8),
      addr: bytes.readBigUInt64LE(at + 16),
      offset: Number(bytes.readBigUInt64LE(at + 24)),
      size: Number(bytes.readBigUInt64LE(at + 32)),
      link: bytes.readUInt32LE(at + 40),
      info: bytes.readUInt32LE(at + 44),
      addrAlign: Math.max(1, Number(bytes.readBigUInt64LE(at + 48))),
      entrySize: Number(bytes.readBigUInt64LE(at + 56)),
    };
    if (section.type !== SHT_NOBITS && section.offset + section.size > bytes.length) {
      throw new SbpfError(`${what}: section #${index} lies outside the file`);
    }
    raw.push(section);
  }
  const names = raw[header.sectionNameTableIndex];
  return raw.map((section, index) => ({
    ...section,
    name: names ? readString(bytes, { ...names, name: "" }, nameOffsets[index]!) : "",
  }));
}

function readRelocations(elf: ElfFile): Relocation[] {
  const relocations: Relocation[] = [];
  for (const section of elf.sections) {
    if (section.type !== SHT_REL && section.type !== SHT_RELA) continue;
    const explicitAddend = section.type === SHT_RELA;
    const entrySize = explicitAddend ? RELA_SIZE : REL_SIZE;
    for (let at = section.offset; at < section.offset + section.size; at += entrySize) {
      const info = elf.bytes.readBigUInt64LE(at + 8);
      relocations.push({
        targetSection: section.info,
        offset: Number(elf.bytes.readBigUInt64LE(at)),
        type: Number(info & 0xffffffffn),
        symbolIndex: Number(info >> 32n),
        addend: explicitAddend ? elf.bytes.readBigInt64LE(at + 16) : undefined,
      });
    }
  }
  return relocations;
}

function readString(bytes: Buffer, table: Section, offset: number): string {
  const start = table.offset + offset;
  const limit = table.offset + table.size;
  let end = start;
  while (end < limit && bytes[end] !== 0) end++;
  return bytes.toString("utf8", start, end);
}
