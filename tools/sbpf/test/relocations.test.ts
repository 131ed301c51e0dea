import { expect } from "chai";
import { R_BPF_64_32, R_BPF_64_NODYLD32, R_BPF_NONE } from "../src/elf/constants.js";
import { findSection } from "../src/elf/reader.js";
import { MM_REGION_SIZE } from "../src/elf/writer.js";
import { OP_CALL, OP_LDDW } from "../src/bpf/instructions.js";
import { linkSharedObject } from "../src/link.js";
import { syscallHash } from "../src/syscalls.js";
import type { SbpfVersion } from "../src/sbpf-version.js";
import { assemble, program, retypeRelocations } from "./helpers/objects.js";
import { viewSharedObject, type SharedObjectView } from "./helpers/shared-object.js";

/** Code relocations: lddw of data, a call to a function in another section, a syscall, a function table. */
const CODE = assemble(
  program(
    `  r1 = message ll
  r2 = 5
  call sol_log_
  call helper
  r3 = table ll
  r1 = *(u64 *)(r3 + 0)
  callx r1`,
    `  .section .text.other,"ax",@progbits
  .type helper,@function
helper:
  r0 = 1
  exit
.Lhelper_end:
  .size helper, .Lhelper_end-helper

  .section .rodata,"a",@progbits
  .globl message
message:
  .ascii "hello"
  .p2align 3
  .globl table
table:
  .quad helper`,
  ),
);

/** A 32-bit data word holding a rodata address. */
const WORD32 = assemble(
  program(
    "  r1 = word ll",
    `  .section .rodata,"a",@progbits
  .globl target
target:
  .ascii "target"
  .p2align 2
  .globl word
word:
  .long target`,
  ),
);

/** VM address of the first byte of merged rodata. */
function rodataBase(view: SharedObjectView, version: SbpfVersion): bigint {
  return version === 3 ? 0n : MM_REGION_SIZE + findSection(view.elf, ".rodata")!.addr;
}

/** VM address of the first byte of text. */
function textBase(view: SharedObjectView, version: SbpfVersion): bigint {
  return version === 3 ? MM_REGION_SIZE : MM_REGION_SIZE + findSection(view.elf, ".text")!.addr;
}

function lddwValue(view: SharedObjectView, index: number): bigint {
  const first = view.instruction(index);
  expect(first.opcode).to.equal(OP_LDDW);
  return (BigInt(view.instruction(index + 1).imm >>> 0) << 32n) | BigInt(first.imm >>> 0);
}

function indexOfOpcode(view: SharedObjectView, opcode: number, occurrence = 0): number {
  let seen = 0;
  for (let i = 0; i < view.text.length / 8; i++) {
    if (view.instruction(i).opcode === opcode && seen++ === occurrence) return i;
  }
  throw new Error(`opcode ${opcode} not found`);
}

for (const version of [0, 3] as const) {
  describe(`relocations (SBPF v${version})`, () => {
    const view = viewSharedObject(linkSharedObject(CODE, { version }).elf);

    it("R_BPF_64_64 puts the VM address of a rodata symbol into lddw", () => {
      const message = BigInt(view.rodata.indexOf("hello"));
      expect(lddwValue(view, 0)).to.equal(rodataBase(view, version) + message);
    });

    it("R_BPF_64_32 to a function in another section becomes a pc-relative internal call", () => {
      const callIndex = indexOfOpcode(view, OP_CALL, 1);
      const call = view.instruction(callIndex);
      expect(call.src).to.equal(1);
      const target = view.instruction(callIndex + 1 + call.imm);
      expect([target.opcode, target.imm]).to.deep.equal([0xb7, 1]); // helper: r0 = 1
    });

    it("R_BPF_64_32 to an undefined syscall becomes the syscall encoding of this version", () => {
      const callIndex = indexOfOpcode(view, OP_CALL, 0);
      const call = view.instruction(callIndex);
      expect(call.src).to.equal(0);
      if (version === 3) {
        expect(call.imm >>> 0).to.equal(syscallHash("sol_log_"));
        expect(view.dynamicRelocations).to.deep.equal([]);
      } else {
        expect(call.imm).to.equal(-1);
        const textOffset = Number(findSection(view.elf, ".text")!.offset);
        expect(view.dynamicRelocations).to.deep.equal([{ offset: textOffset + callIndex * 8, type: R_BPF_64_32, symbol: "sol_log_" }]);
      }
    });

    it("R_BPF_64_ABS64 stores the absolute VM address of a function in data", () => {
      const table = Number(lddwValue(view, 5) - rodataBase(view, version));
      const helper = view.text.indexOf(Buffer.from([0xb7, 0, 0, 0, 1, 0, 0, 0]));
      expect(view.rodata.readBigUInt64LE(table)).to.equal(textBase(view, version) + BigInt(helper));
    });
  });
}

describe("32-bit and placeholder relocations", () => {
  function wordAfterLink(object: Buffer): number {
    const view = viewSharedObject(linkSharedObject(object, { version: 3 }).elf);
    const word = Number(lddwValue(view, 0));
    return view.rodata.readUInt32LE(word);
  }

  it("R_BPF_64_ABS32 stores a v3 rodata address, which lies below 4 GiB", () => {
    const view = viewSharedObject(linkSharedObject(WORD32, { version: 3 }).elf);
    expect(wordAfterLink(WORD32)).to.equal(view.rodata.indexOf("target"));
  });

  it("R_BPF_64_ABS32 is refused in v0, where every VM address is above 4 GiB, naming the symbol", () => {
    expect(() => linkSharedObject(WORD32, { version: 0 })).to.throw(/R_BPF_64_ABS32 against `target`.*32 bits/);
  });

  it("R_BPF_64_NODYLD32 resolves like R_BPF_64_ABS32", () => {
    const crafted = retypeRelocations(WORD32, "target", R_BPF_64_NODYLD32);
    const view = viewSharedObject(linkSharedObject(crafted, { version: 3 }).elf);
    expect(wordAfterLink(crafted)).to.equal(view.rodata.indexOf("target"));
  });

  it("R_BPF_NONE leaves the bytes alone", () => {
    expect(wordAfterLink(retypeRelocations(WORD32, "target", R_BPF_NONE))).to.equal(0);
  });

  it("refuses an unknown relocation type, naming the symbol", () => {
    const crafted = retypeRelocations(WORD32, "target", 8);
    expect(() => linkSharedObject(crafted, { version: 0 })).to.throw(/unsupported relocation type 8 against symbol `target`/);
  });

  it("refuses lddw of an undefined symbol, naming it and the function", () => {
    const object = assemble(program("  r1 = missing_table ll"));
    expect(() => linkSharedObject(object, { version: 0 })).to.throw(/undefined data symbol `missing_table` referenced from `entrypoint`/);
  });
});
