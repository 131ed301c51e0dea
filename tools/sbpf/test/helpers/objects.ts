import { REL_SIZE, SHT_REL } from "../../src/elf/constants.js";
import { readElf, readRelocatable } from "../../src/elf/reader.js";
import { runLlvmTool } from "../../src/llvm.js";

/** Assembles BPF assembly (LLVM syntax) into a relocatable object with llvm-mc-22. */
export function assemble(source: string, cpu: "v2" | "v3" = "v3"): Buffer {
  return runLlvmTool("llvm-mc", ["-triple=bpfel", `-mcpu=${cpu}`, "-filetype=obj", "-o", "-", "-"], { input: source });
}

/**
 * Rewrites the type of every relocation against `symbolName` (llvm-mc cannot emit some BPF relocation
 * kinds on request, e.g. R_BPF_NONE, so tests craft them by patching an assembled object).
 */
export function retypeRelocations(object: Buffer, symbolName: string, newType: number): Buffer {
  const patched = Buffer.from(object);
  const parsed = readRelocatable(patched);
  const symbolIndex = parsed.symbols.findIndex((symbol) => symbol.name === symbolName);
  if (symbolIndex < 0) throw new Error(`no symbol ${symbolName}`);
  let count = 0;
  for (const section of readElf(patched).sections) {
    if (section.type !== SHT_REL) continue;
    for (let at = section.offset; at < section.offset + section.size; at += REL_SIZE) {
      if (Number(patched.readBigUInt64LE(at + 8) >> 32n) !== symbolIndex) continue;
      patched.writeBigUInt64LE((BigInt(symbolIndex) << 32n) | BigInt(newType), at + 8);
      count++;
    }
  }
  if (count === 0) throw new Error(`no relocation against ${symbolName}`);
  return patched;
}

/** A function `entrypoint` around the given instructions, plus extra sections. */
export function program(body: string, extra = ""): string {
  return `  .text
  .globl entrypoint
  .type entrypoint,@function
entrypoint:
${body}
  r0 = 0
  exit
.Lentry_end:
  .size entrypoint, .Lentry_end-entrypoint
${extra}
`;
}
