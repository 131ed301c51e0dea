//! Sysvars read through syscalls, never from accounts: a sysvar account passed in by a caller
//! could be spoofed, a syscall cannot.

use crate::error::ProgramError;

/// The Clock sysvar.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    pub slot: u64,
    pub epoch_start_timestamp: i64,
    pub epoch: u64,
    pub leader_schedule_epoch: u64,
    /// Seconds since the Unix epoch, as voted by validators.
    pub unix_timestamp: i64,
}

impl Clock {
    /// The cluster's unix time, what every instruction here reads of the clock. Out of line and
    /// returning the one field: a call site is smaller than the syscall's setup and copy.
    #[inline(never)]
    pub fn now() -> Result<i64, ProgramError> {
        Ok(Self::get()?.unix_timestamp)
    }

    pub fn get() -> Result<Clock, ProgramError> {
        #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
        {
            let mut clock = Clock::default();
            // SAFETY: `Clock` is repr(C) with the runtime's layout.
            let rc = unsafe { crate::syscalls::sol_get_clock_sysvar(&mut clock as *mut Clock as *mut u8) };
            if rc == 0 {
                Ok(clock)
            } else {
                Err(ProgramError::UnsupportedSysvar)
            }
        }
        #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
        crate::syscalls::unavailable("sol_get_clock_sysvar")
    }
}

/// The Rent sysvar. The exemption threshold is an f64 in the runtime; SBPF programs here have no
/// floating point, so it is kept as raw bits and only the values the cluster uses are accepted.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Rent {
    pub lamports_per_byte_year: u64,
    exemption_threshold_bits: [u8; 8],
    pub burn_percent: u8,
}

/// Bytes of account metadata that rent is charged for on top of the data.
pub const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;
const F64_ONE: u64 = 0x3ff0_0000_0000_0000;
const F64_TWO: u64 = 0x4000_0000_0000_0000;

impl Rent {
    pub fn get() -> Result<Rent, ProgramError> {
        #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
        {
            let mut rent = Rent::default();
            // SAFETY: `Rent` is repr(C) with the runtime's layout (u64, f64 bits, u8).
            let rc = unsafe { crate::syscalls::sol_get_rent_sysvar(&mut rent as *mut Rent as *mut u8) };
            if rc == 0 {
                Ok(rent)
            } else {
                Err(ProgramError::UnsupportedSysvar)
            }
        }
        #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
        crate::syscalls::unavailable("sol_get_rent_sysvar")
    }

    /// Builds a Rent value (host tests): `threshold_years` must be 1 or 2.
    pub fn new(lamports_per_byte_year: u64, threshold_years: u64) -> Rent {
        let bits = if threshold_years == 1 { F64_ONE } else { F64_TWO };
        Rent { lamports_per_byte_year, exemption_threshold_bits: bits.to_le_bytes(), burn_percent: 50 }
    }

    /// Lamports an account of `data_len` bytes needs to be rent-exempt now: the sysvar read
    /// through its syscall, then [`Rent::minimum_balance`]. One out-of-line copy for every
    /// caller (checked multiplication is long on SBPF).
    #[inline(never)]
    pub fn exempt_minimum(data_len: usize) -> Result<u64, ProgramError> {
        Rent::get()?.minimum_balance(data_len)
    }

    /// Lamports an account of `data_len` bytes needs to be rent-exempt.
    pub fn minimum_balance(&self, data_len: usize) -> Result<u64, ProgramError> {
        let per_year = (data_len as u64)
            .checked_add(ACCOUNT_STORAGE_OVERHEAD)
            .and_then(|bytes| bytes.checked_mul(self.lamports_per_byte_year));
        match u64::from_le_bytes(self.exemption_threshold_bits) {
            F64_ONE => per_year,
            F64_TWO => per_year.and_then(|l| l.checked_add(l)),
            _ => return Err(ProgramError::UnsupportedSysvar),
        }
        .ok_or(ProgramError::ArithmeticOverflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rent_matches_the_cluster_default() {
        // mainnet: 3,480 lamports per byte-year, 2 years: an empty account needs 890,880 lamports
        assert_eq!(Rent::new(3480, 2).minimum_balance(0), Ok(890_880));
        assert_eq!(Rent::new(3480, 2).minimum_balance(165), Ok(2_039_280));
        assert_eq!(Rent::new(6960, 1).minimum_balance(165), Ok(2_039_280));
    }
}
