import type { SbpfVersion } from "../sbpf-version.js";

/** One BPF instruction slot: opcode, registers, 16-bit offset and 32-bit immediate (little-endian). */
export interface Instruction {
  readonly opcode: number;
  readonly dst: number;
  readonly src: number;
  readonly offset: number;
  readonly imm: number;
}

export const INSTRUCTION_SIZE = 8;
export const FRAME_POINTER = 10;

// Instruction classes (low three bits of the opcode).
export const CLASS_LDX = 0x01;
export const CLASS_ST = 0x02;
export const CLASS_STX = 0x03;
export const CLASS_ALU32 = 0x04;
export const CLASS_JMP = 0x05;
/** JMP32 in eBPF and SBPF v3; the same class is PQR in SBPF v2 and absent from v0. */
export const CLASS_JMP32 = 0x06;
export const CLASS_ALU64 = 0x07;

export const OP_LDDW = 0x18;
export const OP_CALL = 0x85;
export const OP_CALLX = 0x8d;
export const OP_EXIT = 0x95;
export const OP_MOV64_REG = 0xbf;
export const OP_ADD64_IMM = 0x07;
/** eBPF atomic read-modify-write (STX class, ATOMIC mode) on 32 and 64 bits. */
export const OP_ATOMIC_W = 0xc3;
export const OP_ATOMIC_DW = 0xdb;
/** `call` src values: 0 helper/syscall, 1 pc-relative BPF function, 2 kernel function. */
export const CALL_SRC_SYSCALL = 0;
export const CALL_SRC_INTERNAL = 1;

export function readInstruction(text: Uint8Array, byteOffset: number): Instruction {
  const view = new DataView(text.buffer, text.byteOffset + byteOffset, INSTRUCTION_SIZE);
  const registers = view.getUint8(1);
  return {
    opcode: view.getUint8(0),
    dst: registers & 0xf,
    src: registers >> 4,
    offset: view.getInt16(2, true),
    imm: view.getInt32(4, true),
  };
}

export function instructionClass(opcode: number): number {
  return opcode & 0x07;
}

/** Opcodes the SBPF v0 verifier accepts (solana-sbpf `verifier.rs`, RequisiteVerifier). */
const V0_OPCODES: readonly number[] = [
  OP_LDDW,
  0x61, 0x69, 0x71, 0x79, // ldx w/h/b/dw
  0x62, 0x6a, 0x72, 0x7a, // st imm
  0x63, 0x6b, 0x73, 0x7b, // stx
  // ALU32: add sub mul div or and lsh rsh neg mod xor mov arsh le be
  0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c, 0x44, 0x4c, 0x54, 0x5c, 0x64, 0x6c, 0x74, 0x7c, 0x84,
  0x94, 0x9c, 0xa4, 0xac, 0xb4, 0xbc, 0xc4, 0xcc, 0xd4, 0xdc,
  // ALU64: add sub mul div or and lsh rsh neg mod xor mov arsh
  0x07, 0x0f, 0x17, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x47, 0x4f, 0x57, 0x5f, 0x67, 0x6f, 0x77, 0x7f, 0x87,
  0x97, 0x9f, 0xa7, 0xaf, 0xb7, 0xbf, 0xc7, 0xcf,
  // JMP: ja jeq jgt jge jset jne jsgt jsge jlt jle jslt jsle
  0x05, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d, 0x45, 0x4d, 0x55, 0x5d, 0x65, 0x6d, 0x75, 0x7d, 0xa5, 0xad,
  0xb5, 0xbd, 0xc5, 0xcd, 0xd5, 0xdd,
  OP_CALL, OP_CALLX, OP_EXIT,
];

/** SBPF v3 adds the JMP32 conditional jumps (SIMD-0377); `gotol` (0x06) stays out. */
const JMP32_OPCODES: readonly number[] = [
  0x16, 0x1e, 0x26, 0x2e, 0x36, 0x3e, 0x46, 0x4e, 0x56, 0x5e, 0x66, 0x6e, 0x76, 0x7e, 0xa6, 0xae, 0xb6,
  0xbe, 0xc6, 0xce, 0xd6, 0xde,
];

const ALLOWED_OPCODES: Readonly<Record<SbpfVersion, ReadonlySet<number>>> = {
  0: new Set(V0_OPCODES),
  3: new Set([...V0_OPCODES, ...JMP32_OPCODES]),
};

export function isAllowedOpcode(version: SbpfVersion, opcode: number): boolean {
  return ALLOWED_OPCODES[version].has(opcode);
}

/** Whether a call/jump/ALU opcode carries meaning in its offset field that older SBPF would ignore (cpu v4). */
export function usesOffsetAsModifier(instruction: Instruction): boolean {
  const cls = instructionClass(instruction.opcode);
  return (cls === CLASS_ALU32 || cls === CLASS_ALU64) && instruction.offset !== 0;
}
