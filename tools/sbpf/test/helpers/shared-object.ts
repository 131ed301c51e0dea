import { SHT_DYNSYM, SHT_REL, REL_SIZE } from "../../src/elf/constants.js";
import { findSection, readElf, readSymbols, sectionBytes, type ElfFile } from "../../src/elf/reader.js";
import { readInstruction, type Instruction } from "../../src/bpf/instructions.js";

/** Test view of a linked program: headers, text instructions and v0 dynamic relocations. */
export interface SharedObjectView {
  readonly elf: ElfFile;
  readonly text: Buffer;
  readonly rodata: Buffer;
  instruction(index: number): Instruction;
  /** v0: [file offset, symbol name] of each .rel.dyn entry. */
  readonly dynamicRelocations: ReadonlyArray<{ offset: number; type: number; symbol: string }>;
}

export function viewSharedObject(bytes: Buffer): SharedObjectView {
  const elf = readElf(bytes);
  const textSection = findSection(elf, ".text");
  if (!textSection) throw new Error("no .text");
  const text = sectionBytes(elf, textSection);
  const rodataSection = findSection(elf, ".rodata");
  const rodata = rodataSection ? sectionBytes(elf, rodataSection) : Buffer.alloc(0);
  const dynsym = elf.sections.find((s) => s.type === SHT_DYNSYM);
  const symbols = dynsym ? readSymbols(elf, dynsym) : [];
  const relDyn = elf.sections.find((s) => s.type === SHT_REL);
  const dynamicRelocations: Array<{ offset: number; type: number; symbol: string }> = [];
  if (relDyn) {
    for (let at = relDyn.offset; at < relDyn.offset + relDyn.size; at += REL_SIZE) {
      const info = bytes.readBigUInt64LE(at + 8);
      dynamicRelocations.push({
        offset: Number(bytes.readBigUInt64LE(at)),
        type: Number(info & 0xffffffffn),
        symbol: symbols[Number(info >> 32n)]?.name ?? "?",
      });
    }
  }
  return { elf, text, rodata, instruction: (index) => readInstruction(text, index * 8), dynamicRelocations };
}
