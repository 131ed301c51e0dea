import { SbpfError } from "./errors.js";

/**
 * SBPF versions sbpf-ld can emit. v0 is the legacy format that mainnet deploys today (ET_DYN with dynamic
 * relocations for syscalls); v3 is the SIMD-0178/0189/0377 format (static syscalls, two fixed segments, JMP32).
 */
export type SbpfVersion = 0 | 3;

export const DEFAULT_SBPF_VERSION: SbpfVersion = 0;

/** Parses a version given on a command line or in SBPF_VERSION; `origin` names where it came from. */
export function parseSbpfVersion(value: string | undefined, origin: string): SbpfVersion {
  if (value === undefined || value === "") return DEFAULT_SBPF_VERSION;
  if (value === "0") return 0;
  if (value === "3") return 3;
  throw new SbpfError(`${origin}: unsupported SBPF version '${value}' (sbpf-ld emits 0 or 3)`);
}
