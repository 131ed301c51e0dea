//! The runtime's syscalls (Agave), declared for the SBPF targets only.
//!
//! Programs call the typed wrappers elsewhere in this crate; on the host these symbols do not exist,
//! and the wrappers either compute the same result in pure Rust (hashes) or report that the runtime
//! is required.
#![allow(missing_docs)]

#[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
extern "C" {
    pub fn sol_log_(message: *const u8, len: u64);
    pub fn sol_log_64_(a: u64, b: u64, c: u64, d: u64, e: u64);
    pub fn sol_log_data(fields: *const u8, len: u64);
    pub fn sol_log_pubkey(pubkey: *const u8);
    pub fn sol_log_compute_units_();
    pub fn sol_remaining_compute_units() -> u64;
    pub fn sol_sha256(fields: *const u8, len: u64, result: *mut u8) -> u64;
    pub fn sol_keccak256(fields: *const u8, len: u64, result: *mut u8) -> u64;
    pub fn sol_create_program_address(seeds: *const u8, seeds_len: u64, program_id: *const u8, address: *mut u8) -> u64;
    pub fn sol_try_find_program_address(
        seeds: *const u8,
        seeds_len: u64,
        program_id: *const u8,
        address: *mut u8,
        bump: *mut u8,
    ) -> u64;
    pub fn sol_invoke_signed_c(
        instruction: *const u8,
        account_infos: *const u8,
        account_infos_len: u64,
        signers_seeds: *const u8,
        signers_seeds_len: u64,
    ) -> u64;
    pub fn sol_get_clock_sysvar(out: *mut u8) -> u64;
    pub fn sol_get_rent_sysvar(out: *mut u8) -> u64;
    pub fn sol_set_return_data(data: *const u8, len: u64);
    pub fn sol_get_return_data(data: *mut u8, len: u64, program_id: *mut u8) -> u64;
    pub fn sol_get_stack_height() -> u64;
    pub fn sol_memcpy_(dst: *mut u8, src: *const u8, n: u64);
    pub fn sol_memmove_(dst: *mut u8, src: *const u8, n: u64);
    pub fn sol_memset_(dst: *mut u8, value: u8, n: u64);
    pub fn sol_memcmp_(a: *const u8, b: *const u8, n: u64, result: *mut i32);
    pub fn sol_panic_(file: *const u8, len: u64, line: u64, column: u64) -> !;
    pub fn abort() -> !;
}

/// Host builds: a syscall that only the runtime can answer was called (a bug in a host test).
#[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
#[cold]
pub(crate) fn unavailable(name: &str) -> ! {
    panic!("{name} needs the Solana runtime; run this path in LiteSVM (tests/) rather than a host test")
}
