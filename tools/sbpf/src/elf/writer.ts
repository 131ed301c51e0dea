import type { SbpfVersion } from "../sbpf-version.js";
import {
  DT_NULL, DT_REL, DT_RELENT, DT_RELSZ, DT_STRSZ, DT_STRTAB, DT_SYMENT, DT_SYMTAB, DT_TEXTREL, DYN_SIZE,
  ELF_HEADER_SIZE, ELF_MAGIC, ELFCLASS64, ELFDATA2LSB, EM_BPF, ET_DYN, EV_CURRENT, PF_R, PF_W, PF_X,
  PROGRAM_HEADER_SIZE, PT_DYNAMIC, PT_LOAD, R_BPF_64_32, REL_SIZE, SECTION_HEADER_SIZE, SHF_ALLOC,
  SHF_EXECINSTR, SHF_WRITE, SHT_DYNAMIC, SHT_DYNSYM, SHT_NULL, SHT_PROGBITS, SHT_REL, SHT_STRTAB, STB_GLOBAL,
  STT_NOTYPE, SYMBOL_SIZE,
} from "./constants.js";

/** Size of one VM memory region; region n starts at n << 32. */
export const MM_REGION_SIZE = 1n << 32n;
/** v3 maps read-only data at region 0 and bytecode at region 1 (solana-sbpf `MM_RODATA_START`/`MM_BYTECODE_START`). */
export const V3_RODATA_VADDR = 0n;
export const V3_TEXT_VADDR = MM_REGION_SIZE;
/** Bytes kept free at the start of v3 rodata so that no object sits at VM address 0, which Rust treats as null. */
export const V3_NULL_GUARD = 16;

/** Where text and rodata go in the file and in the VM. */
export interface SegmentLayout {
  readonly programHeaderCount: number;
  readonly textFileOffset: number;
  readonly textVaddr: bigint;
  readonly rodataFileOffset: number;
  readonly rodataVaddr: bigint;
}

export interface LayoutRequest {
  readonly textSize: number;
  readonly rodataSize: number;
  /** Largest alignment a rodata section asks for; v0 places rodata at a file offset with this alignment. */
  readonly rodataAlignment?: number;
  /** v0 only: whether syscalls need a .dynamic/.dynsym/.rel.dyn block (and its two program headers). */
  readonly hasDynamicCalls: boolean;
}

/** A syscall site the v0 loader patches at load time: `call -1` plus an R_BPF_64_32 against `symbol`. */
export interface DynamicCall {
  readonly textOffset: number;
  readonly symbol: string;
}

export interface SharedObjectImage {
  readonly version: SbpfVersion;
  readonly layout: SegmentLayout;
  readonly text: Buffer;
  readonly rodata: Buffer;
  /** Byte offset of `entrypoint` inside text. */
  readonly entryOffset: number;
  readonly dynamicCalls: readonly DynamicCall[];
}

/** Bytes to leave empty at the start of the merged rodata for this version. */
export function rodataStartPadding(version: SbpfVersion): number {
  return version === 3 ? V3_NULL_GUARD : 0;
}

/**
 * Decides file offsets and VM addresses before relocation, since relocations write final addresses.
 * v0: text then rodata after the headers, `sh_addr == sh_offset`, the loader maps the whole file at region 1.
 * v3: rodata right after the two program headers at VM 0, text right after it at VM 1 << 32 (SIMD-0189).
 */
export function planLayout(version: SbpfVersion, request: LayoutRequest): SegmentLayout {
  if (version === 3) {
    const programHeaderCount = 2;
    const rodataFileOffset = ELF_HEADER_SIZE + programHeaderCount * PROGRAM_HEADER_SIZE;
    return {
      programHeaderCount,
      rodataFileOffset,
      rodataVaddr: V3_RODATA_VADDR,
      textFileOffset: rodataFileOffset + request.rodataSize,
      textVaddr: V3_TEXT_VADDR,
    };
  }
  const programHeaderCount = 1 + (request.rodataSize > 0 ? 1 : 0) + (request.hasDynamicCalls ? 2 : 0);
  const textFileOffset = alignUp(ELF_HEADER_SIZE + programHeaderCount * PROGRAM_HEADER_SIZE, 8);
  const rodataFileOffset = alignUp(textFileOffset + request.textSize, Math.max(8, request.rodataAlignment ?? 8));
  return {
    programHeaderCount,
    textFileOffset,
    textVaddr: MM_REGION_SIZE + BigInt(textFileOffset),
    rodataFileOffset,
    rodataVaddr: MM_REGION_SIZE + BigInt(rodataFileOffset),
  };
}

export function writeSharedObject(image: SharedObjectImage): Buffer {
  return image.version === 3 ? writeV3(image) : writeV0(image);
}

function writeV0(image: SharedObjectImage): Buffer {
  const { layout, text, rodata } = image;
  const file = new FileBuilder();
  file.reserve(layout.textFileOffset);
  file.placeAt(layout.textFileOffset, text);
  const names = new StringTable();
  const sections: SectionHeaderFields[] = [NULL_SECTION];
  const programHeaders: ProgramHeaderFields[] = [];
  sections.push({ name: names.add(".text"), type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addr: layout.textFileOffset, offset: layout.textFileOffset, size: text.length, addrAlign: 8 });
  programHeaders.push({ type: PT_LOAD, flags: PF_R | PF_X, offset: layout.textFileOffset, vaddr: BigInt(layout.textFileOffset), size: text.length });
  if (rodata.length > 0) {
    file.placeAt(layout.rodataFileOffset, rodata);
    sections.push({ name: names.add(".rodata"), type: SHT_PROGBITS, flags: SHF_ALLOC, addr: layout.rodataFileOffset, offset: layout.rodataFileOffset, size: rodata.length, addrAlign: 8 });
    programHeaders.push({ type: PT_LOAD, flags: PF_R, offset: layout.rodataFileOffset, vaddr: BigInt(layout.rodataFileOffset), size: rodata.length });
  }
  if (image.dynamicCalls.length > 0) appendDynamicBlock(file, image, names, sections, programHeaders);
  if (programHeaders.length !== layout.programHeaderCount) {
    throw new Error(`layout planned ${layout.programHeaderCount} program headers, writer produced ${programHeaders.length}`);
  }
  return finish(file, names, sections, programHeaders, {
    entry: BigInt(layout.textFileOffset + image.entryOffset),
    flags: 0,
  });
}

/** .dynamic, .dynsym, .dynstr and .rel.dyn: the v0 loader resolves syscalls by hashing these symbol names. */
function appendDynamicBlock(
  file: FileBuilder,
  image: SharedObjectImage,
  names: StringTable,
  sections: SectionHeaderFields[],
  programHeaders: ProgramHeaderFields[],
): void {
  const symbolNames = [...new Set(image.dynamicCalls.map((call) => call.symbol))];
  const dynamicStrings = new StringTable();
  const dynsym = Buffer.alloc(SYMBOL_SIZE * (symbolNames.length + 1));
  symbolNames.forEach((name, i) => {
    const at = SYMBOL_SIZE * (i + 1);
    dynsym.writeUInt32LE(dynamicStrings.add(name), at);
    dynsym[at + 4] = (STB_GLOBAL << 4) | STT_NOTYPE; // undefined: the loader treats it as a syscall
  });
  const dynstr = dynamicStrings.bytes();
  const calls = [...image.dynamicCalls].sort((a, b) => a.textOffset - b.textOffset);
  const relDyn = Buffer.alloc(REL_SIZE * calls.length);
  calls.forEach((call, i) => {
    const symbolIndex = BigInt(symbolNames.indexOf(call.symbol) + 1);
    relDyn.writeBigUInt64LE(BigInt(image.layout.textFileOffset + call.textOffset), REL_SIZE * i);
    relDyn.writeBigUInt64LE((symbolIndex << 32n) | BigInt(R_BPF_64_32), REL_SIZE * i + 8);
  });

  const dynamicOffset = alignUp(file.length, 8);
  const entries: Array<[number, number]> = [];
  const dynamic = Buffer.alloc(DYN_SIZE * 9);
  const dynsymOffset = dynamicOffset + dynamic.length;
  const dynstrOffset = dynsymOffset + dynsym.length;
  const relDynOffset = alignUp(dynstrOffset + dynstr.length, 8);
  entries.push([DT_REL, relDynOffset], [DT_RELSZ, relDyn.length], [DT_RELENT, REL_SIZE]);
  entries.push([DT_SYMTAB, dynsymOffset], [DT_SYMENT, SYMBOL_SIZE]);
  entries.push([DT_STRTAB, dynstrOffset], [DT_STRSZ, dynstr.length], [DT_TEXTREL, 0], [DT_NULL, 0]);
  entries.forEach(([tag, value], i) => {
    dynamic.writeBigUInt64LE(BigInt(tag), DYN_SIZE * i);
    dynamic.writeBigUInt64LE(BigInt(value), DYN_SIZE * i + 8);
  });
  file.placeAt(dynamicOffset, dynamic);
  file.placeAt(dynsymOffset, dynsym);
  file.placeAt(dynstrOffset, dynstr);
  file.placeAt(relDynOffset, relDyn);

  const dynstrIndex = sections.length + 2;
  const dynsymIndex = sections.length + 1;
  sections.push({ name: names.add(".dynamic"), type: SHT_DYNAMIC, flags: SHF_ALLOC | SHF_WRITE, addr: dynamicOffset, offset: dynamicOffset, size: dynamic.length, link: dynstrIndex, addrAlign: 8, entrySize: DYN_SIZE });
  sections.push({ name: names.add(".dynsym"), type: SHT_DYNSYM, flags: SHF_ALLOC, addr: dynsymOffset, offset: dynsymOffset, size: dynsym.length, link: dynstrIndex, info: 1, addrAlign: 8, entrySize: SYMBOL_SIZE });
  sections.push({ name: names.add(".dynstr"), type: SHT_STRTAB, flags: SHF_ALLOC, addr: dynstrOffset, offset: dynstrOffset, size: dynstr.length, addrAlign: 1 });
  sections.push({ name: names.add(".rel.dyn"), type: SHT_REL, flags: SHF_ALLOC, addr: relDynOffset, offset: relDynOffset, size: relDyn.length, link: dynsymIndex, addrAlign: 8, entrySize: REL_SIZE });
  const blockEnd = relDynOffset + relDyn.length;
  programHeaders.push({ type: PT_LOAD, flags: PF_R | PF_W, offset: dynamicOffset, vaddr: BigInt(dynamicOffset), size: blockEnd - dynamicOffset });
  programHeaders.push({ type: PT_DYNAMIC, flags: PF_R | PF_W, offset: dynamicOffset, vaddr: BigInt(dynamicOffset), size: dynamic.length });
}

function writeV3(image: SharedObjectImage): Buffer {
  const { layout, text, rodata } = image;
  const file = new FileBuilder();
  file.reserve(layout.rodataFileOffset);
  file.placeAt(layout.rodataFileOffset, rodata);
  file.placeAt(layout.textFileOffset, text);
  const programHeaders: ProgramHeaderFields[] = [
    { type: PT_LOAD, flags: PF_R, offset: layout.rodataFileOffset, vaddr: layout.rodataVaddr, size: rodata.length },
    { type: PT_LOAD, flags: PF_X, offset: layout.textFileOffset, vaddr: layout.textVaddr, size: text.length },
  ];
  // The v3 loader reads only the program headers; section headers are for readelf/objdump.
  const names = new StringTable();
  const sections: SectionHeaderFields[] = [
    NULL_SECTION,
    { name: names.add(".rodata"), type: SHT_PROGBITS, flags: SHF_ALLOC, addr: layout.rodataVaddr, offset: layout.rodataFileOffset, size: rodata.length, addrAlign: 8 },
    { name: names.add(".text"), type: SHT_PROGBITS, flags: SHF_ALLOC | SHF_EXECINSTR, addr: layout.textVaddr, offset: layout.textFileOffset, size: text.length, addrAlign: 8 },
  ];
  return finish(file, names, sections, programHeaders, {
    entry: layout.textVaddr + BigInt(image.entryOffset),
    flags: 3, // e_flags carries the SBPF version
  });
}

interface SectionHeaderFields {
  readonly name: number;
  readonly type: number;
  readonly flags?: bigint;
  readonly addr?: number | bigint;
  readonly offset: number;
  readonly size: number;
  readonly link?: number;
  readonly info?: number;
  readonly addrAlign?: number;
  readonly entrySize?: number;
}

interface ProgramHeaderFields {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: bigint;
  readonly size: number;
}

const NULL_SECTION: SectionHeaderFields = { name: 0, type: SHT_NULL, offset: 0, size: 0, addrAlign: 0 };

/** Appends .shstrtab and the section header table, then fills in the ELF and program headers. */
function finish(
  file: FileBuilder,
  names: StringTable,
  sections: SectionHeaderFields[],
  programHeaders: readonly ProgramHeaderFields[],
  header: { entry: bigint; flags: number },
): Buffer {
  const shstrtabName = names.add(".shstrtab");
  const shstrtab = names.bytes();
  const shstrtabOffset = file.length;
  file.placeAt(shstrtabOffset, shstrtab);
  sections.push({ name: shstrtabName, type: SHT_STRTAB, offset: shstrtabOffset, size: shstrtab.length, addrAlign: 1 });
  const sectionHeaderOffset = alignUp(file.length, 8);
  file.placeAt(sectionHeaderOffset, Buffer.concat(sections.map(encodeSectionHeader)));
  file.placeAt(0, encodeElfHeader({
    entry: header.entry,
    flags: header.flags,
    programHeaderCount: programHeaders.length,
    sectionHeaderOffset,
    sectionHeaderCount: sections.length,
    sectionNameTableIndex: sections.length - 1,
  }));
  file.placeAt(ELF_HEADER_SIZE, Buffer.concat(programHeaders.map(encodeProgramHeader)));
  return file.toBuffer();
}

function encodeElfHeader(fields: {
  entry: bigint;
  flags: number;
  programHeaderCount: number;
  sectionHeaderOffset: number;
  sectionHeaderCount: number;
  sectionNameTableIndex: number;
}): Buffer {
  const bytes = Buffer.alloc(ELF_HEADER_SIZE);
  bytes.writeUInt32BE(ELF_MAGIC, 0);
  bytes[4] = ELFCLASS64;
  bytes[5] = ELFDATA2LSB;
  bytes[6] = EV_CURRENT; // EI_VERSION; EI_OSABI, EI_ABIVERSION and padding stay 0 as the loader requires
  bytes.writeUInt16LE(ET_DYN, 16);
  bytes.writeUInt16LE(EM_BPF, 18);
  bytes.writeUInt32LE(EV_CURRENT, 20);
  bytes.writeBigUInt64LE(fields.entry, 24);
  bytes.writeBigUInt64LE(BigInt(ELF_HEADER_SIZE), 32);
  bytes.writeBigUInt64LE(BigInt(fields.sectionHeaderOffset), 40);
  bytes.writeUInt32LE(fields.flags, 48);
  bytes.writeUInt16LE(ELF_HEADER_SIZE, 52);
  bytes.writeUInt16LE(PROGRAM_HEADER_SIZE, 54);
  bytes.writeUInt16LE(fields.programHeaderCount, 56);
  bytes.writeUInt16LE(SECTION_HEADER_SIZE, 58);
  bytes.writeUInt16LE(fields.sectionHeaderCount, 60);
  bytes.writeUInt16LE(fields.sectionNameTableIndex, 62);
  return bytes;
}

function encodeProgramHeader(fields: ProgramHeaderFields): Buffer {
  const bytes = Buffer.alloc(PROGRAM_HEADER_SIZE);
  bytes.writeUInt32LE(fields.type, 0);
  bytes.writeUInt32LE(fields.flags, 4);
  bytes.writeBigUInt64LE(BigInt(fields.offset), 8);
  bytes.writeBigUInt64LE(fields.vaddr, 16);
  bytes.writeBigUInt64LE(fields.vaddr, 24);
  bytes.writeBigUInt64LE(BigInt(fields.size), 32);
  bytes.writeBigUInt64LE(BigInt(fields.size), 40);
  bytes.writeBigUInt64LE(8n, 48);
  return bytes;
}

function encodeSectionHeader(fields: SectionHeaderFields): Buffer {
  const bytes = Buffer.alloc(SECTION_HEADER_SIZE);
  bytes.writeUInt32LE(fields.name, 0);
  bytes.writeUInt32LE(fields.type, 4);
  bytes.writeBigUInt64LE(fields.flags ?? 0n, 8);
  bytes.writeBigUInt64LE(BigInt(fields.addr ?? 0), 16);
  bytes.writeBigUInt64LE(BigInt(fields.offset), 24);
  bytes.writeBigUInt64LE(BigInt(fields.size), 32);
  bytes.writeUInt32LE(fields.link ?? 0, 40);
  bytes.writeUInt32LE(fields.info ?? 0, 44);
  bytes.writeBigUInt64LE(BigInt(fields.addrAlign ?? 1), 48);
  bytes.writeBigUInt64LE(BigInt(fields.entrySize ?? 0), 56);
  return bytes;
}

/** A growable file image; gaps between placed chunks are zero. */
class FileBuilder {
  private chunks: Array<{ offset: number; bytes: Buffer }> = [];
  private end = 0;

  get length(): number {
    return this.end;
  }
  reserve(size: number): void {
    this.end = Math.max(this.end, size);
  }
  placeAt(offset: number, bytes: Buffer): void {
    this.chunks.push({ offset, bytes });
    this.end = Math.max(this.end, offset + bytes.length);
  }
  toBuffer(): Buffer {
    const out = Buffer.alloc(this.end);
    for (const chunk of this.chunks) chunk.bytes.copy(out, chunk.offset);
    return out;
  }
}

/** ELF string table: offset 0 is the empty string; equal strings share one entry. */
export class StringTable {
  private parts: Buffer[] = [Buffer.from([0])];
  private size = 1;
  private offsets = new Map<string, number>();

  add(text: string): number {
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    const offset = this.size;
    const bytes = Buffer.from(`${text}\0`, "utf8");
    this.parts.push(bytes);
    this.size += bytes.length;
    this.offsets.set(text, offset);
    return offset;
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}
