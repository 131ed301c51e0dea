import { expect } from "chai";
import {
  DT_REL, DT_RELENT, DT_RELSZ, DT_STRTAB, DT_SYMTAB, DYN_SIZE, EM_BPF, ET_DYN, PF_R, PF_W, PF_X, PT_DYNAMIC, PT_LOAD,
  R_BPF_64_32, SHT_DYNAMIC,
} from "../src/elf/constants.js";
import { findSection } from "../src/elf/reader.js";
import { MM_REGION_SIZE, V3_NULL_GUARD } from "../src/elf/writer.js";
import { linkSharedObject } from "../src/link.js";
import { syscallHash } from "../src/syscalls.js";
import { assemble, program } from "./helpers/objects.js";
import { viewSharedObject } from "./helpers/shared-object.js";

const SOURCE = program(
  `  call helper
  r1 = message ll
  r2 = 5
  call sol_log_
  r1 = 7
  call sol_log_64_
  call sol_log_`,
  `  .type helper,@function
helper:
  r0 = 2
  exit
.Lhelper_end:
  .size helper, .Lhelper_end-helper
  .section .rodata,"a",@progbits
message:
  .ascii "hello"`,
);
const OBJECT = assemble(SOURCE);

describe("SBPF v0 layout (ET_DYN with dynamic syscall relocations)", () => {
  const bytes = linkSharedObject(OBJECT, { version: 0 }).elf;
  const view = viewSharedObject(bytes);
  const { header, programHeaders, sections } = view.elf;

  it("has the ELF header the loader checks", () => {
    expect([...bytes.subarray(0, 16)]).to.deep.equal([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(header.type).to.equal(ET_DYN);
    expect(header.machine).to.equal(EM_BPF);
    expect(header.flags).to.equal(0);
    expect(header.programHeaderOffset).to.equal(64);
  });

  it("keeps sh_addr equal to sh_offset for code and read-only data, in ascending file order", () => {
    expect(sections.map((s) => s.name)).to.deep.equal(["", ".text", ".rodata", ".dynamic", ".dynsym", ".dynstr", ".rel.dyn", ".shstrtab"]);
    for (const name of [".text", ".rodata", ".dynamic", ".dynsym", ".rel.dyn"]) {
      const section = findSection(view.elf, name)!;
      expect(section.addr, name).to.equal(BigInt(section.offset));
    }
    const offsets = sections.slice(1).map((s) => s.offset);
    expect(offsets).to.deep.equal([...offsets].sort((a, b) => a - b));
    for (const section of sections) expect(section.name.length, section.name).to.be.below(16);
  });

  it("enters at entrypoint, addressed like sh_addr", () => {
    expect(header.entry).to.equal(findSection(view.elf, ".text")!.addr);
  });

  it("has loadable text, rodata and dynamic segments plus PT_DYNAMIC", () => {
    const text = findSection(view.elf, ".text")!;
    const dynamic = findSection(view.elf, ".dynamic")!;
    expect(programHeaders.map((p) => [p.type, p.flags])).to.deep.equal([
      [PT_LOAD, PF_R | PF_X],
      [PT_LOAD, PF_R],
      [PT_LOAD, PF_R | PF_W],
      [PT_DYNAMIC, PF_R | PF_W],
    ]);
    expect(programHeaders[0]!.offset).to.equal(text.offset);
    expect(programHeaders[0]!.fileSize).to.equal(text.size);
    expect(programHeaders[3]!.offset).to.equal(dynamic.offset);
  });

  it("lists each syscall once in .dynsym and relocates every call site through .rel.dyn", () => {
    const text = findSection(view.elf, ".text")!;
    const symbols = [...new Set(view.dynamicRelocations.map((r) => r.symbol))];
    expect(symbols).to.deep.equal(["sol_log_", "sol_log_64_"]);
    expect(view.dynamicRelocations).to.have.length(3);
    for (const relocation of view.dynamicRelocations) {
      expect(relocation.type).to.equal(R_BPF_64_32);
      const call = view.instruction((relocation.offset - text.offset) / 8);
      expect([call.opcode, call.src, call.imm]).to.deep.equal([0x85, 0, -1]);
    }
  });

  it("points the dynamic table at the sections it describes", () => {
    const dynamic = sections.find((s) => s.type === SHT_DYNAMIC)!;
    const tags = new Map<number, bigint>();
    for (let at = dynamic.offset; at < dynamic.offset + dynamic.size; at += DYN_SIZE) {
      tags.set(Number(bytes.readBigUInt64LE(at)), bytes.readBigUInt64LE(at + 8));
    }
    expect(tags.get(DT_REL)).to.equal(findSection(view.elf, ".rel.dyn")!.addr);
    expect(tags.get(DT_RELSZ)).to.equal(BigInt(findSection(view.elf, ".rel.dyn")!.size));
    expect(tags.get(DT_RELENT)).to.equal(16n);
    expect(tags.get(DT_SYMTAB)).to.equal(findSection(view.elf, ".dynsym")!.addr);
    expect(tags.get(DT_STRTAB)).to.equal(findSection(view.elf, ".dynstr")!.addr);
  });

  it("writes no dynamic block when the program makes no syscall", () => {
    const quiet = viewSharedObject(linkSharedObject(assemble(program("  r1 = 1")), { version: 0 }).elf);
    expect(quiet.elf.sections.map((s) => s.name)).to.deep.equal(["", ".text", ".shstrtab"]);
    expect(quiet.elf.programHeaders).to.have.length(1);
  });
});

describe("SBPF v3 layout (static syscalls, two fixed segments)", () => {
  const bytes = linkSharedObject(OBJECT, { version: 3 }).elf;
  const view = viewSharedObject(bytes);
  const { header, programHeaders } = view.elf;

  it("marks the version in e_flags", () => {
    expect(header.flags).to.equal(3);
    expect(header.type).to.equal(ET_DYN);
    expect(header.machine).to.equal(EM_BPF);
  });

  it("has exactly a read-only segment at 0 and an executable one at 1 << 32, back to back after the headers", () => {
    expect(programHeaders).to.have.length(2);
    const [rodata, text] = programHeaders as [(typeof programHeaders)[0], (typeof programHeaders)[0]];
    expect([rodata.type, rodata.flags, rodata.vaddr, rodata.paddr, rodata.offset]).to.deep.equal([PT_LOAD, PF_R, 0n, 0n, 64 + 2 * 56]);
    expect([text.type, text.flags, text.vaddr, text.paddr]).to.deep.equal([PT_LOAD, PF_X, MM_REGION_SIZE, MM_REGION_SIZE]);
    expect(text.offset).to.equal(rodata.offset + rodata.fileSize);
    for (const segment of programHeaders) {
      expect(segment.fileSize % 8).to.equal(0);
      expect(segment.memorySize).to.equal(segment.fileSize);
    }
  });

  it("enters at entrypoint's VM address and keeps rodata's first bytes free of objects", () => {
    expect(header.entry).to.equal(MM_REGION_SIZE);
    expect([...view.rodata.subarray(0, V3_NULL_GUARD)].every((b) => b === 0)).to.equal(true);
    expect(view.rodata.indexOf("hello")).to.be.at.least(V3_NULL_GUARD);
  });

  it("calls syscalls by hash with no dynamic sections", () => {
    const calls = view.elf.sections.map((s) => s.name);
    expect(calls).to.not.include(".dynsym");
    const hashes = [];
    for (let i = 0; i < view.text.length / 8; i++) {
      const insn = view.instruction(i);
      if (insn.opcode === 0x85 && insn.src === 0) hashes.push(insn.imm >>> 0);
    }
    expect(hashes).to.deep.equal([syscallHash("sol_log_"), syscallHash("sol_log_64_"), syscallHash("sol_log_")]);
  });
});
