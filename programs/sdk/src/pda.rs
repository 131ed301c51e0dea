//! Derived addresses: program-derived addresses (PDAs, found by bump) and addresses with a seed
//! (System Program's `*WithSeed` instructions, no bump).

use crate::account::AccountView;
use crate::error::{FrameworkError, ProgramError};
use crate::hash::Hash;
use crate::pubkey::Pubkey;

/// Finds the canonical (highest valid) bump for `seeds`: about 1,500 CU per bump tried. Use it
/// once, at creation, then store the bump and verify with [`create_program_address`]; where the
/// cost matters, an address with a seed ([`address_with_seed`]) has no bump to find.
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

/// A program-derived address's seeds (without the bump) and program.
pub struct PdaSeeds<'a> {
    pub seeds: &'a [&'a [u8]],
    pub program_id: &'a Pubkey,
}

/// The canonical bump of `pda`, which `account` must be, or Anchor's `ConstraintSeeds` naming `name`.
/// For creation, where the bump is found once and stored (about 1,500 CU per bump tried). Out of
/// line: one copy of the derivation and comparison for every such account.
#[inline(never)]
pub fn canonical_bump(account: &AccountView, pda: &PdaSeeds, name: &str) -> Result<u8, ProgramError> {
    let (address, bump) = find_program_address(pda.seeds, pda.program_id);
    if crate::pubkey::pubkey_eq(&address, account.key()) {
        Ok(bump)
    } else {
        Err(FrameworkError::ConstraintSeeds.on(name))
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

/// Longest seed of an address derived with a seed (System Program's `*WithSeed` instructions).
pub const MAX_ADDRESS_SEED_LEN: usize = 32;

/// The address System Program derives from `base`, a `seed` string and the `owner` program for its
/// `CreateAccountWithSeed`/`AllocateWithSeed`: sha256(base ++ seed ++ owner), 133 CU for a 32-byte
/// seed. Unlike a PDA it has no bump, so there is exactly one such address per (base, seed, owner),
/// and only a signature of `base` creates an account there. (The runtime refuses an `owner` ending
/// in [`PDA_MARKER`]; program ids never do.)
pub fn address_with_seed(base: &Pubkey, seed: &[u8], owner: &Pubkey) -> Hash {
    debug_assert!(seed.len() <= MAX_ADDRESS_SEED_LEN, "an address seed is at most 32 bytes");
    crate::hash::sha256(&[base, seed, owner])
}

/// Lowercase hex of 16 bytes: 32 characters, the longest seed an address with seed takes. 128 bits
/// of a key or hash name an account well enough: finding another key with the same 16 bytes takes
/// about 2^128 tries.
pub fn hex_seed(bytes: &[u8; 16]) -> [u8; MAX_ADDRESS_SEED_LEN] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; MAX_ADDRESS_SEED_LEN];
    for (pair, byte) in out.chunks_exact_mut(2).zip(bytes) {
        pair[0] = DIGITS[(byte >> 4) as usize];
        pair[1] = DIGITS[(byte & 0x0f) as usize];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_seed_match_web3js() {
        let seed = hex_seed(&[0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
        assert_eq!(&seed, b"00112233445566778899aabbccddeeff");
        // @solana/web3.js 1.98: PublicKey.createWithSeed([1; 32], "00112233445566778899aabbccddeeff", [3; 32])
        let expected: [u8; 32] = [
            0xaa, 0x38, 0xe1, 0x13, 0xc5, 0xc0, 0x0c, 0xcb, 0xee, 0x8d, 0x81, 0x6f, 0x1f, 0x26, 0x60, 0x34, 0x40, 0xba, 0x6c, 0xd0, 0x00, 0x20,
            0xef, 0x4a, 0x08, 0xd3, 0xf7, 0x90, 0xea, 0x90, 0x44, 0x80,
        ];
        assert_eq!(address_with_seed(&[1; 32], &seed, &[3; 32]), expected);
    }
}
