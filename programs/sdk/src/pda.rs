//! Program-derived addresses.

use crate::error::ProgramError;
use crate::pubkey::Pubkey;

/// Finds the canonical (highest valid) bump for `seeds`: about 1,500 CU per bump tried. Use it
/// once, at creation, then store the bump and verify with [`create_program_address`].
#[inline]
pub fn find_program_address(seeds: &[&[u8]], program_id: &Pubkey) -> (Pubkey, u8) {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    {
        let mut address = [0u8; 32];
        let mut bump = 0u8;
        // SAFETY: `&[u8]` has the `{ addr, len }` layout the syscall reads; outputs are writable.
        let rc = unsafe {
            crate::syscalls::sol_try_find_program_address(
                seeds.as_ptr() as *const u8,
                seeds.len() as u64,
                program_id.as_ptr(),
                address.as_mut_ptr(),
                &mut bump,
            )
        };
        // The syscall only fails for malformed seeds (more than 16, or one over 32 bytes), which
        // are fixed in program code: a bug, not an input error.
        if rc != 0 {
            crate::log::log("PDA seeds are malformed");
            // SAFETY: abort takes no arguments.
            unsafe { crate::syscalls::abort() }
        }
        (address, bump)
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    {
        let _ = (seeds, program_id);
        crate::syscalls::unavailable("sol_try_find_program_address")
    }
}

/// Derives the address for `seeds` (the bump included): 1,500 CU. Fails if it lies on the curve.
#[inline]
pub fn create_program_address(seeds: &[&[u8]], program_id: &Pubkey) -> Result<Pubkey, ProgramError> {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    {
        let mut address = [0u8; 32];
        // SAFETY: as for `find_program_address`.
        let rc = unsafe {
            crate::syscalls::sol_create_program_address(
                seeds.as_ptr() as *const u8,
                seeds.len() as u64,
                program_id.as_ptr(),
                address.as_mut_ptr(),
            )
        };
        if rc == 0 {
            Ok(address)
        } else {
            Err(ProgramError::InvalidSeeds)
        }
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    {
        let _ = (seeds, program_id);
        crate::syscalls::unavailable("sol_create_program_address")
    }
}
