//! Program-derived addresses.
//!
//! A PDA for `seeds` (the bump last) is sha256(seeds ++ program id ++ [`PDA_MARKER`]) when those 32
//! bytes are *not* a point of the Ed25519 curve (so no private key signs for it).

use crate::error::{ProgramError, ProgramResult};
use crate::hash::Hash;
use crate::pubkey::Pubkey;

/// Most seeds an address takes, the bump included.
pub const MAX_SEEDS: usize = 16;
/// Longest seed, in bytes.
pub const MAX_SEED_LEN: usize = 32;
/// What the runtime hashes after the seeds and the program id.
pub const PDA_MARKER: &[u8; 21] = b"ProgramDerivedAddress";
/// `sol_curve_validate_point`'s id for Curve25519 in Edwards form (Ed25519 keys).
const CURVE25519_EDWARDS: u64 = 0;

/// Finds the canonical (highest valid) bump for `seeds`: about 1,500 CU per bump tried. Use it
/// once, at creation, then store the bump and verify with [`create_program_address`]; or take the
/// bump from the client and prove it with [`require_canonical_bump`].
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

/// True when `bytes` decompress to a point of the Ed25519 curve, the test by which the runtime
/// refuses a PDA ("on the curve": a private key might sign for it). 159 CU.
#[inline]
pub fn is_on_curve(bytes: &[u8; 32]) -> bool {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    {
        let mut unused = 0u8; // the syscall's result argument; validation writes nothing
        // SAFETY: `bytes` is the 32-byte point the syscall reads; `unused` is writable.
        let rc = unsafe { crate::syscalls::sol_curve_validate_point(CURVE25519_EDWARDS, bytes.as_ptr(), &mut unused) };
        rc == 0
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    {
        let _ = (bytes, CURVE25519_EDWARDS);
        crate::syscalls::unavailable("sol_curve_validate_point")
    }
}

/// Proves a client's `bump` canonical for `seeds` (the bump excluded): every higher bump must give a
/// hash on the curve, that is no address. The same answer as [`create_program_address`] failing for
/// each higher bump, for much less: per bump, sha256 (85 CU, plus 10 CU or 1 per 2 bytes for each
/// seed, and 26 for the rest) and the curve check (159 CU), about 340 CU for three seeds instead of
/// 1,500; nothing for bump 255 (half of all PDAs). Fails with `InvalidSeeds` when a higher bump
/// derives an address. Seeds are at most 32 bytes each (checked in debug builds) and at most 15
/// (checked at compile time).
///
/// It does not check that `bump` itself derives the account's address: a CPI signed with the seeds
/// does (the runtime derives the signer from them), or [`create_program_address`].
#[inline]
pub fn require_canonical_bump<const N: usize>(seeds: [&[u8]; N], bump: u8, program_id: &Pubkey) -> ProgramResult {
    check_seeds(&seeds);
    if bump == u8::MAX {
        return Ok(()); // nothing above it (half of all bumps)
    }
    let mut preimage = Preimage::new(seeds, program_id);
    let mut hash = [0u8; 32];
    let mut higher = bump;
    while higher < u8::MAX {
        higher = higher.wrapping_add(1);
        preimage.hash_into(higher, &mut hash);
        if !is_on_curve(&hash) {
            return Err(ProgramError::InvalidSeeds);
        }
    }
    Ok(())
}

/// The 32 bytes `create_program_address` hashes `seeds ++ [[bump]]` into: the address when
/// [`is_on_curve`] says no. Seeds as for [`require_canonical_bump`].
pub fn pda_hash<const N: usize>(seeds: [&[u8]; N], bump: u8, program_id: &Pubkey) -> Hash {
    check_seeds(&seeds);
    let mut hash = [0u8; 32];
    Preimage::new(seeds, program_id).hash_into(bump, &mut hash);
    hash
}

/// What `create_program_address` requires of seeds: at most 16 with the bump (at compile time), each
/// at most 32 bytes (in debug builds: a longer seed makes no address, so the CPI or
/// `create_program_address` that must verify the address fails anyway; not worth its code on chain).
#[inline(always)]
fn check_seeds<const N: usize>(seeds: &[&[u8]; N]) {
    const { assert!(N < MAX_SEEDS, "a PDA takes at most 16 seeds, the bump included") };
    debug_assert!(seeds.iter().all(|seed| seed.len() <= MAX_SEED_LEN), "a PDA seed is at most 32 bytes");
}

/// A `&[u8]` as the sha256 syscall reads it (the layout of `&[u8]`).
#[repr(C)]
#[derive(Clone, Copy)]
struct Part {
    addr: *const u8,
    len: u64,
}

/// A PDA's preimage, set up once for hashing it at several bumps: the seeds, then `[bump] ++ program
/// id` as one part (one 33-byte part costs the syscall 16 CU, a 1-byte and a 32-byte one 26), then
/// the marker. `seeds` and `tail` lie back to back: together, the syscall's list of parts.
#[repr(C)]
struct Preimage<'a, const N: usize> {
    seeds: [&'a [u8]; N],
    tail: [Part; 2],
    /// Followed by `program` without padding (alignment 1): 33 contiguous bytes.
    bump: u8,
    program: Pubkey,
}

impl<'a, const N: usize> Preimage<'a, N> {
    #[inline(always)]
    fn new(seeds: [&'a [u8]; N], program_id: &Pubkey) -> Self {
        let marker = Part { addr: PDA_MARKER.as_ptr(), len: PDA_MARKER.len() as u64 };
        Preimage { seeds, tail: [Part { addr: core::ptr::null(), len: 33 }, marker], bump: 0, program: *program_id }
    }

    /// sha256 of the preimage with `bump`, into `out`.
    #[inline(always)]
    fn hash_into(&mut self, bump: u8, out: &mut Hash) {
        self.bump = bump;
        // pointed at here rather than in `new`: the preimage may have moved since. Derived from the
        // whole preimage, so that it spans `bump` and `program`.
        self.tail[0].addr = (self as *const Self as *const u8).wrapping_add(core::mem::offset_of!(Self, bump));
        let this = self as *const Self as *const u8;
        #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
        {
            // SAFETY: `seeds` and `tail` are adjacent (`repr(C)`, both arrays of 16-byte, 8-aligned
            // `{ addr, len }`), so they read as one list of N + 2 parts; each points into the
            // borrowed seeds, this preimage or a static. `out` is 32 writable bytes.
            unsafe { crate::syscalls::sol_sha256(this, N.wrapping_add(2) as u64, out.as_mut_ptr()) };
        }
        #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
        {
            // the same list of parts, read back as slices for the pure sha256
            // SAFETY: as on chain.
            let parts = unsafe { core::slice::from_raw_parts(this as *const Part, N.wrapping_add(2)) };
            let slices: std::vec::Vec<&[u8]> = parts
                .iter()
                // SAFETY: each part is a live slice (see above).
                .map(|p| unsafe { core::slice::from_raw_parts(p.addr, p.len as usize) })
                .collect();
            *out = crate::hash::sha256_const(&slices);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::sha256;

    fn hex(b: &[u8]) -> std::string::String {
        b.iter().map(|x| std::format!("{x:02x}")).collect()
    }

    const PROGRAM: Pubkey = [3; 32];

    #[test]
    fn hashes_what_create_program_address_hashes() {
        let (a, b) = ([7u8; 32], [0u8; 32]);
        let seeds: [&[u8]; 3] = [b"claim_status", &a, &b];
        for bump in [0u8, 1, 249, 254, 255] {
            let expected = sha256(&[b"claim_status", &a, &b, &[bump], &PROGRAM, b"ProgramDerivedAddress"]);
            assert_eq!(pda_hash(seeds, bump, &PROGRAM), expected, "bump {bump}");
        }
        // @solana/web3.js: findProgramAddressSync(["claim_status", [7; 32], [0; 32]], [3; 32]) gives
        // bump 249 (255 down to 250 land on the curve) and this address
        assert_eq!(hex(&pda_hash(seeds, 249, &PROGRAM)), "7f3299d2db9082f46c3db79ef045249b43a3ad1a6f9c60d95d7c8adc3c54b0ef");
        // no seeds, and the most, all of the longest
        assert_eq!(pda_hash([], 9, &PROGRAM), sha256(&[&[9], &PROGRAM, PDA_MARKER]));
        let long = [5u8; MAX_SEED_LEN];
        let most = [&long[..]; MAX_SEEDS - 1];
        let mut parts: std::vec::Vec<&[u8]> = most.to_vec();
        parts.extend_from_slice(&[&[200], &PROGRAM, PDA_MARKER]);
        assert_eq!(pda_hash(most, 200, &PROGRAM), sha256(&parts));
    }

    #[test]
    #[should_panic(expected = "a PDA seed is at most 32 bytes")]
    fn refuses_seeds_that_make_no_address() {
        // (more than 15 seeds, 16 with the bump, fail to compile)
        let _ = require_canonical_bump([&b"ok"[..], &[5u8; MAX_SEED_LEN + 1]], 255, &PROGRAM);
    }

    #[test]
    fn bump_255_needs_no_curve_check() {
        // the highest bump has nothing above it: no syscall (none exists on the host)
        assert_eq!(require_canonical_bump([b"claim_status", &[7; 32]], 255, &PROGRAM), Ok(()));
    }
}
