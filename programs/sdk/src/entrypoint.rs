//! The program entrypoint: zero-copy parsing of the runtime's serialized input.
//!
//! Input layout (loader v2/v3 "aligned" ABI): u64 account count; per account either a 1-byte
//! index of an earlier account plus 7 bytes of padding (a duplicate), or 0xff, a `RawAccount`
//! header, the data, 10 KiB of realloc room padded to 8 bytes, and a u64 rent epoch; then the u64
//! instruction data length, the data, and the 32-byte program id.

use crate::account::{AccountView, RawAccount, MAX_PERMITTED_DATA_INCREASE};
use crate::error::ProgramResult;
use crate::pubkey::Pubkey;
use core::mem::{size_of, MaybeUninit};

/// Accounts kept per instruction; more are skipped (the runtime allows 255, none of ours needs 64).
pub const MAX_ACCOUNTS: usize = 64;

const NON_DUP_MARKER: u8 = 0xff;
/// Realloc room plus the rounding up to 8 bytes, added to an account's data length.
const DATA_PADDING: usize = MAX_PERMITTED_DATA_INCREASE + 7;
/// The header before an account's data and the rent epoch after it.
const ACCOUNT_OVERHEAD: usize = size_of::<RawAccount>() + size_of::<u64>();

/// Bytes of a non-duplicate account in the input: header, data, realloc room (rounded up to 8),
/// rent epoch.
///
/// # Safety
/// `raw` must point at an account's header in the runtime's input.
#[inline(always)]
unsafe fn account_size(raw: *const RawAccount) -> usize {
    // SAFETY: forwarded from the caller.
    let data_len = unsafe { (*raw).data_len } as usize;
    // the runtime bounds data lengths (10 MiB), so these sums cannot wrap: no overflow checks on
    // the hottest loop of every instruction
    (data_len.wrapping_add(DATA_PADDING) & !7).wrapping_add(ACCOUNT_OVERHEAD)
}

/// A duplicate naming a later position, which the runtime never serializes.
#[cold]
fn malformed_input() -> ! {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    {
        // SAFETY: abort takes no arguments.
        unsafe { crate::syscalls::abort() }
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    {
        panic!("a duplicate account names a later position")
    }
}

/// Parses `input` into `accounts` and returns (program id, number of accounts kept, data).
///
/// # Safety
/// `input` must be the pointer the runtime passed to `entrypoint`.
#[inline(always)]
pub unsafe fn deserialize<'a>(
    input: *mut u8,
    accounts: &mut [MaybeUninit<AccountView>; MAX_ACCOUNTS],
) -> (&'a Pubkey, usize, &'a [u8]) {
    // SAFETY: (whole function) offsets follow the runtime's documented serialization above.
    unsafe {
        let mut cursor = input;
        let count = *(cursor as *const u64) as usize;
        cursor = cursor.add(size_of::<u64>());
        // every account up to MAX_ACCOUNTS is kept, at its own position; a duplicate names an
        // earlier position, so its view is already there
        let kept = count.min(MAX_ACCOUNTS);
        let first = accounts.as_mut_ptr();
        let end = first.add(kept);
        let mut slot = first;
        while slot != end {
            // each branch stores its own view: no value to merge, so no register shuffling
            if *cursor == NON_DUP_MARKER {
                *slot = MaybeUninit::new(AccountView::from_raw(cursor as *mut RawAccount));
                cursor = cursor.add(account_size(cursor as *const RawAccount));
            } else {
                // wrapping: a malformed index must not make an out-of-bounds `add`
                let earlier = first.wrapping_add(*cursor as usize);
                if earlier >= slot {
                    malformed_input();
                }
                *slot = *earlier;
                cursor = cursor.add(size_of::<u64>());
            }
            slot = slot.add(1);
        }
        // the rest are skipped: only their sizes matter
        for _ in kept..count {
            cursor = cursor.add(if *cursor == NON_DUP_MARKER { account_size(cursor as *const RawAccount) } else { size_of::<u64>() });
        }
        let data_len = *(cursor as *const u64) as usize;
        cursor = cursor.add(size_of::<u64>());
        let data = core::slice::from_raw_parts(cursor, data_len);
        let program_id = &*(cursor.add(data_len) as *const Pubkey);
        (program_id, kept, data)
    }
}

/// Runs `process` on the parsed input and converts its result into the runtime's return code.
///
/// # Safety
/// `input` must be the pointer the runtime passed to `entrypoint`.
#[inline(always)]
pub unsafe fn run<F>(input: *mut u8, process: F) -> u64
where
    F: FnOnce(&Pubkey, &[AccountView], &[u8]) -> ProgramResult,
{
    let mut accounts = [const { MaybeUninit::<AccountView>::uninit() }; MAX_ACCOUNTS];
    // SAFETY: forwarded from the caller.
    let (program_id, kept, data) = unsafe { deserialize(input, &mut accounts) };
    // SAFETY: the first `kept` slots were initialised by `deserialize`.
    let accounts = unsafe { core::slice::from_raw_parts(accounts.as_ptr() as *const AccountView, kept) };
    match process(program_id, accounts, data) {
        Ok(()) => 0,
        Err(e) => e.to_u64(),
    }
}

/// Declares the program's entrypoint: `entrypoint!(processor::process_instruction);`.
///
/// The symbol exists only on the SBPF targets, so the same crate also builds as a host library.
#[macro_export]
macro_rules! entrypoint {
    ($process:path) => {
        /// The runtime's entry into this program.
        ///
        /// # Safety
        /// Called by the runtime with its serialized input.
        #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
        #[no_mangle]
        pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
            // SAFETY: `input` is the runtime's pointer.
            unsafe { $crate::entrypoint::run(input, $process) }
        }
    };
}

#[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    // The file and line reach the transaction log; the message would need core::fmt (kilobytes).
    match info.location() {
        // SAFETY: the pointers describe the location's file name.
        Some(loc) => unsafe {
            crate::syscalls::sol_panic_(loc.file().as_ptr(), loc.file().len() as u64, loc.line() as u64, loc.column() as u64)
        },
        // SAFETY: abort takes no arguments.
        None => unsafe { crate::syscalls::abort() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// Serializes accounts the way the runtime does; `Err(i)` entries are duplicates of position i.
    fn serialize(accounts: &[Result<([u8; 32], std::vec::Vec<u8>), u8>], data: &[u8], program: &Pubkey) -> Vec<u64> {
        let mut bytes: Vec<u8> = Vec::new();
        bytes.extend_from_slice(&(accounts.len() as u64).to_le_bytes());
        for acc in accounts {
            match acc {
                Ok((key, body)) => {
                    bytes.extend_from_slice(&[0xff, 1, 1, 0, 0, 0, 0, 0]);
                    bytes.extend_from_slice(key);
                    bytes.extend_from_slice(&[9u8; 32]);
                    bytes.extend_from_slice(&100u64.to_le_bytes());
                    bytes.extend_from_slice(&(body.len() as u64).to_le_bytes());
                    bytes.extend_from_slice(body);
                    let pad = (body.len() + MAX_PERMITTED_DATA_INCREASE).div_ceil(8) * 8 - body.len();
                    bytes.extend(core::iter::repeat_n(0, pad));
                    bytes.extend_from_slice(&0u64.to_le_bytes());
                }
                Err(i) => bytes.extend_from_slice(&[*i, 0, 0, 0, 0, 0, 0, 0]),
            }
        }
        bytes.extend_from_slice(&(data.len() as u64).to_le_bytes());
        bytes.extend_from_slice(data);
        bytes.extend_from_slice(program);
        bytes.resize(bytes.len().div_ceil(8) * 8, 0);
        bytes.chunks(8).map(|c| u64::from_le_bytes(c.try_into().unwrap())).collect()
    }

    #[test]
    fn parses_accounts_duplicates_data_and_program_id() {
        let mut input = serialize(
            &[Ok(([1; 32], std::vec![5; 3])), Ok(([2; 32], std::vec![])), Err(0)],
            b"hello",
            &[7; 32],
        );
        // SAFETY: `input` is laid out exactly as the runtime serializes an instruction's input.
        let seen = unsafe {
            run(input.as_mut_ptr() as *mut u8, |program, accounts, data| {
                assert_eq!(program, &[7; 32]);
                assert_eq!(data, b"hello");
                assert_eq!(accounts.len(), 3);
                assert_eq!(accounts[0].key(), &[1; 32]);
                assert_eq!(&*accounts[0].try_borrow_data().unwrap(), &[5, 5, 5]);
                assert_eq!(accounts[1].data_len(), 0);
                // the duplicate is the same account, with the same borrow state
                assert!(accounts[2] == accounts[0]);
                let _w = accounts[0].try_borrow_mut_data().unwrap();
                assert!(accounts[2].try_borrow_data().is_err());
                Err(crate::ProgramError::Custom(6001))
            })
        };
        assert_eq!(seen, 6001);
    }

    #[test]
    fn keeps_the_first_max_accounts_and_skips_the_rest_to_the_data() {
        // 70 accounts: a duplicate of a kept one at 3, then from position 64 on, accounts that are not
        // kept (one with data, a duplicate of a kept one, one of a skipped one)
        let mut accounts: Vec<Result<([u8; 32], Vec<u8>), u8>> = (0..70u8).map(|i| Ok(([i; 32], std::vec![i; i as usize % 9]))).collect();
        accounts[3] = Err(1);
        accounts[65] = Err(2);
        accounts[67] = Err(66);
        let mut input = serialize(&accounts, b"data", &[7; 32]);
        // SAFETY: as above.
        let seen = unsafe {
            run(input.as_mut_ptr() as *mut u8, |program, views, data| {
                assert_eq!((program, data), (&[7; 32], &b"data"[..]));
                assert_eq!(views.len(), MAX_ACCOUNTS);
                assert!(views[3] == views[1]);
                for (i, view) in views.iter().enumerate().filter(|(i, _)| *i != 3) {
                    assert_eq!(view.key(), &[i as u8; 32]);
                    assert_eq!(view.data_len(), i % 9);
                }
                Ok(())
            })
        };
        assert_eq!(seen, 0);
    }

    #[test]
    #[should_panic(expected = "a duplicate account names a later position")]
    fn refuses_a_duplicate_of_a_later_position() {
        let mut input = serialize(&[Ok(([1; 32], std::vec![])), Err(1)], b"", &[7; 32]);
        // SAFETY: as above (the duplicate is malformed, which `deserialize` must catch).
        unsafe { run(input.as_mut_ptr() as *mut u8, |_, _, _| Ok(())) };
    }
}
