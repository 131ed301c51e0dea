import {
  CALL_SRC_INTERNAL, CALL_SRC_SYSCALL, CLASS_ALU32, CLASS_ALU64, CLASS_JMP32, CLASS_LDX, CLASS_ST, CLASS_STX,
  FRAME_POINTER, INSTRUCTION_SIZE, OP_ADD64_IMM, OP_ATOMIC_DW, OP_ATOMIC_W, OP_CALL, OP_CALLX, OP_LDDW,
  OP_MOV64_REG, instructionClass, isAllowedOpcode, readInstruction, usesOffsetAsModifier,
} from "./bpf/instructions.js";
import type { SbpfVersion } from "./sbpf-version.js";

/** SBPF gives every call frame 4096 bytes of stack (Agave `stack_frame_size`). */
export const STACK_FRAME_SIZE = 4096;

/** A function's extent in merged text, for naming the culprit of a problem. */
export interface TextFunction {
  readonly name: string;
  /** Byte offsets in merged text. */
  readonly start: number;
  readonly end: number;
}

export interface TextValidationInput {
  readonly text: Buffer;
  readonly version: SbpfVersion;
  /** Text offsets of calls that relocations resolved. */
  readonly relocatedCalls: ReadonlySet<number>;
  readonly functions: readonly TextFunction[];
}

export interface TextValidationResult {
  readonly problems: readonly string[];
  /** Deepest stack use per function, in bytes below the frame pointer. */
  readonly stackUse: ReadonlyMap<string, number>;
}

/**
 * Checks every instruction against what the SBPF verifier of `version` accepts and normalises the encodings
 * upstream LLVM picks differently (callx register). Problems name the function and instruction, and say why.
 */
export function validateText(input: TextValidationInput): TextValidationResult {
  const { text, version } = input;
  const problems: string[] = [];
  const locate = functionLocator(input.functions);
  const stackUse = new Map<string, number>();
  let frame = new FrameTracker();
  let currentFunction: string | undefined;
  const count = text.length / INSTRUCTION_SIZE;
  for (let index = 0; index < count; index++) {
    const at = index * INSTRUCTION_SIZE;
    const fn = locate(at);
    if (fn?.name !== currentFunction) {
      frame = new FrameTracker();
      currentFunction = fn?.name;
    }
    const where = fn ? `function \`${fn.name}\` (+0x${(at - fn.start).toString(16)})` : `text+0x${at.toString(16)}`;
    const instruction = readInstruction(text, at);
    const problem = checkInstruction(instruction, at, index, count, input, where);
    if (problem) problems.push(problem);
    if (instruction.opcode === OP_CALLX) normaliseCallx(text, at, version);
    const depth = frame.observe(instruction);
    if (depth > 0 && fn) stackUse.set(fn.name, Math.max(stackUse.get(fn.name) ?? 0, depth));
    if (instruction.opcode === OP_LDDW) index++; // second slot of the 16-byte instruction
  }
  for (const [name, bytes] of stackUse) {
    if (bytes > STACK_FRAME_SIZE) {
      problems.push(`function \`${name}\` needs ${bytes} bytes of stack, but SBPF stack frames hold ${STACK_FRAME_SIZE}: move large locals into account data or behind a reference, or split the function`);
    }
  }
  return { problems, stackUse };
}

function checkInstruction(
  instruction: ReturnType<typeof readInstruction>,
  at: number,
  index: number,
  count: number,
  input: TextValidationInput,
  where: string,
): string | undefined {
  const { opcode } = instruction;
  const hex = `0x${opcode.toString(16).padStart(2, "0")}`;
  if (opcode === OP_ATOMIC_W || opcode === OP_ATOMIC_DW) {
    return `${where}: atomic instruction (opcode ${hex}); SBPF has no atomics. A program runs single-threaded, so use plain loads and stores (e.g. Cell) instead of Atomic*`;
  }
  if (instructionClass(opcode) === CLASS_JMP32 && !isAllowedOpcode(input.version, opcode)) {
    return input.version === 0
      ? `${where}: JMP32 instruction (opcode ${hex}); SBPF v0 has no JMP32 class (code must be compiled for -mcpu=v2, or linked as --sbpf-version 3)`
      : `${where}: instruction ${hex} (gotol/JMP32 form of cpu v4) is not part of SBPF v3`;
  }
  if (!isAllowedOpcode(input.version, opcode)) {
    return `${where}: opcode ${hex} is not an SBPF v${input.version} instruction${describeForeignOpcode(opcode)}`;
  }
  if (usesOffsetAsModifier(instruction)) {
    return `${where}: ALU instruction ${hex} with offset ${instruction.offset} (signed div/mod or movsx of cpu v4) is not part of SBPF`;
  }
  if (opcode === OP_LDDW) {
    if (instruction.src !== 0) return `${where}: lddw with pseudo source ${instruction.src} (kernel map or BTF reference)`;
    if (index + 1 >= count) return `${where}: lddw is cut off at the end of the text`;
    return undefined;
  }
  if (opcode === OP_CALL && !input.relocatedCalls.has(at)) {
    if (instruction.src === CALL_SRC_INTERNAL) {
      const target = index + 1 + instruction.imm;
      if (target < 0 || target >= count) return `${where}: call target #${target} lies outside the text`;
      if (input.version === 0 && instruction.imm === -1) {
        return `${where}: a call to the instruction itself encodes as imm=-1, which SBPF v0 reserves for syscalls`;
      }
      return undefined;
    }
    if (instruction.src === CALL_SRC_SYSCALL) return `${where}: call to kernel BPF helper #${instruction.imm}, which SBPF does not provide (declare the Solana syscall by name instead)`;
    return `${where}: call with source ${instruction.src} (kernel function) is not supported`;
  }
  return undefined;
}

function describeForeignOpcode(opcode: number): string {
  const cls = instructionClass(opcode);
  if (opcode === 0xd7) return " (bswap of cpu v4)";
  if (cls === CLASS_LDX && (opcode & 0xe0) === 0x80) return " (sign-extending load of cpu v4)";
  if (cls === CLASS_STX && (opcode & 0xe0) === 0xc0) return " (atomic)";
  if (cls === CLASS_ALU32 || cls === CLASS_ALU64) return " (ALU operation outside SBPF)";
  return "";
}

/**
 * SBPF reads the callx register from the immediate in v0 and from dst in v3; LLVM writes it to dst (older
 * releases to imm). Rewrite to the one form the target verifier expects.
 */
function normaliseCallx(text: Buffer, at: number, version: SbpfVersion): void {
  const instruction = readInstruction(text, at);
  const register = instruction.dst !== 0 ? instruction.dst : instruction.src !== 0 ? instruction.src : instruction.imm;
  if (version === 3) {
    text[at + 1] = register & 0x0f;
    text.writeInt32LE(0, at + 4);
  } else {
    text[at + 1] = 0;
    text.writeInt32LE(register, at + 4);
  }
}

/**
 * Follows frame-pointer-relative addressing within a function: direct `[r10 - n]` loads and stores, and
 * pointers built as `rX = r10; rX += -n` (how LLVM passes addresses of locals). Straight-line tracking is
 * enough because LLVM materialises such pointers right before use.
 */
class FrameTracker {
  private readonly pointerDepth = new Map<number, number>();

  /** Returns the stack depth this instruction reaches, in bytes (0 if it does not touch the stack). */
  observe(instruction: ReturnType<typeof readInstruction>): number {
    const { opcode, dst, src, offset, imm } = instruction;
    const cls = instructionClass(opcode);
    if (cls === CLASS_LDX && src === FRAME_POINTER) return Math.max(0, -offset);
    if ((cls === CLASS_ST || cls === CLASS_STX) && dst === FRAME_POINTER) return Math.max(0, -offset);
    if (opcode === OP_MOV64_REG && src === FRAME_POINTER) {
      this.pointerDepth.set(dst, 0);
      return 0;
    }
    if (opcode === OP_ADD64_IMM && this.pointerDepth.has(dst)) {
      const depth = this.pointerDepth.get(dst)! - imm;
      this.pointerDepth.set(dst, depth);
      return Math.max(0, depth);
    }
    if (opcode === OP_CALL || opcode === OP_CALLX) {
      for (let register = 0; register <= 5; register++) this.pointerDepth.delete(register); // caller-saved
    } else if (writesDestination(cls, opcode)) {
      this.pointerDepth.delete(dst);
    }
    return 0;
  }
}

function writesDestination(cls: number, opcode: number): boolean {
  return cls === CLASS_ALU32 || cls === CLASS_ALU64 || cls === CLASS_LDX || opcode === OP_LDDW;
}

/** Maps a text offset to its function; functions must not overlap. */
function functionLocator(functions: readonly TextFunction[]): (offset: number) => TextFunction | undefined {
  const sorted = [...functions].sort((a, b) => a.start - b.start);
  return (offset) => {
    let low = 0;
    let high = sorted.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const fn = sorted[middle]!;
      if (offset < fn.start) high = middle - 1;
      else if (offset >= fn.end) low = middle + 1;
      else return fn;
    }
    return undefined;
  };
}
