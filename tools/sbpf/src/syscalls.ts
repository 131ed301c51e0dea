import { murmur3_32 } from "./murmur3.js";

/**
 * Syscalls that Agave's program runtime v1 registers (agave `syscalls/src/lib.rs`,
 * `create_program_runtime_environment_v1`). A call to an undefined symbol becomes one of these; anything else
 * would fail at deployment with "Unresolved symbol", so the linker refuses it up front.
 */
export const AGAVE_SYSCALLS: readonly string[] = [
  "abort",
  "sol_panic_",
  "sol_log_",
  "sol_log_64_",
  "sol_log_pubkey",
  "sol_log_compute_units_",
  "sol_log_data",
  "sol_create_program_address",
  "sol_try_find_program_address",
  "sol_sha256",
  "sol_keccak256",
  "sol_secp256k1_recover",
  "sol_blake3",
  "sol_curve_validate_point",
  "sol_curve_group_op",
  "sol_curve_multiscalar_mul",
  "sol_curve_decompress",
  "sol_curve_pairing_map",
  "sol_get_clock_sysvar",
  "sol_get_epoch_schedule_sysvar",
  "sol_get_rent_sysvar",
  "sol_get_last_restart_slot",
  "sol_get_epoch_rewards_sysvar",
  "sol_get_sysvar",
  "sol_get_epoch_stake",
  "sol_memcpy_",
  "sol_memmove_",
  "sol_memset_",
  "sol_memcmp_",
  "sol_get_processed_sibling_instruction",
  "sol_get_stack_height",
  "sol_set_return_data",
  "sol_get_return_data",
  "sol_invoke_signed_c",
  "sol_invoke_signed_rust",
  "sol_alt_bn128_group_op",
  "sol_alt_bn128_compression",
  "sol_big_mod_exp",
  "sol_poseidon",
  "sol_remaining_compute_units",
];

/** Syscalls the runtime still knows but refuses in newly deployed programs, with the reason. */
export const UNDEPLOYABLE_SYSCALLS: Readonly<Record<string, string>> = {
  sol_alloc_free_:
    "new deployments may not use it (feature disable_deploy_of_alloc_free_syscall); use a bump allocator over the heap region at 0x300000000",
  sol_get_fees_sysvar: "the Fees sysvar is gone (feature disable_fees_sysvar); use the Rent sysvar or fee fields of the transaction",
};

/**
 * Undefined symbols that compilers emit for runtime routines, mapped to the syscall that implements them.
 * `memcpy` goes to sol_memmove_ because sol_memcpy_ rejects overlapping ranges, which LLVM's memcpy allows
 * when source and destination are equal; `__bpf_trap` is what LLVM 22 calls for `llvm.trap`.
 */
export const SYSCALL_ALIASES: Readonly<Record<string, string>> = {
  memcpy: "sol_memmove_",
  memmove: "sol_memmove_",
  memset: "sol_memset_",
  __bpf_trap: "abort",
};

const knownSyscalls = new Set(AGAVE_SYSCALLS);

/** The key the loader looks a syscall up by: murmur3-32 of its name. */
export function syscallHash(name: string): number {
  return murmur3_32(Buffer.from(name, "utf8"));
}

export type SyscallResolution =
  | { readonly kind: "syscall"; readonly name: string; readonly hash: number }
  | { readonly kind: "undeployable"; readonly name: string; readonly reason: string }
  | { readonly kind: "unknown"; readonly name: string; readonly suggestion: string | undefined };

/** Decides what a call to the undefined symbol `symbol` becomes. */
export function resolveSyscall(symbol: string): SyscallResolution {
  const name = SYSCALL_ALIASES[symbol] ?? symbol;
  if (knownSyscalls.has(name)) return { kind: "syscall", name, hash: syscallHash(name) };
  const reason = UNDEPLOYABLE_SYSCALLS[name];
  if (reason !== undefined) return { kind: "undeployable", name, reason };
  return { kind: "unknown", name, suggestion: closestSyscall(name) };
}

/** The known syscall within a small edit distance of `name`, to catch typos such as `sol_log`. */
function closestSyscall(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(3, Math.floor(name.length / 3) + 1);
  for (const candidate of AGAVE_SYSCALLS) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
