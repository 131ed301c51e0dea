//! Cross-program invocation through `sol_invoke_signed_c`, with builders for the programs we call.

pub mod system;
pub mod token;

use crate::account::AccountView;
use crate::error::{ProgramError, ProgramResult};
use crate::pubkey::{pubkey_eq, Pubkey};
use core::marker::PhantomData;
use core::mem::MaybeUninit;

/// One account of an instruction to invoke.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct AccountMeta<'a> {
    pubkey: *const Pubkey,
    pub is_writable: bool,
    pub is_signer: bool,
    _marker: PhantomData<&'a Pubkey>,
}

impl<'a> AccountMeta<'a> {
    pub const fn new(pubkey: &'a Pubkey, is_writable: bool, is_signer: bool) -> Self {
        AccountMeta { pubkey, is_writable, is_signer, _marker: PhantomData }
    }
    pub const fn writable(pubkey: &'a Pubkey) -> Self {
        Self::new(pubkey, true, false)
    }
    pub const fn readonly(pubkey: &'a Pubkey) -> Self {
        Self::new(pubkey, false, false)
    }
    pub const fn writable_signer(pubkey: &'a Pubkey) -> Self {
        Self::new(pubkey, true, true)
    }
    pub const fn readonly_signer(pubkey: &'a Pubkey) -> Self {
        Self::new(pubkey, false, true)
    }
    pub fn pubkey(&self) -> &'a Pubkey {
        // SAFETY: built from a `&'a Pubkey`.
        unsafe { &*self.pubkey }
    }
}

/// An instruction to invoke.
pub struct Instruction<'a, 'b> {
    pub program_id: &'a Pubkey,
    pub accounts: &'b [AccountMeta<'a>],
    pub data: &'b [u8],
}

/// One seed of a PDA signature, in the runtime's `{ addr, len }` layout.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Seed<'a> {
    addr: *const u8,
    len: u64,
    _marker: PhantomData<&'a [u8]>,
}

impl<'a> From<&'a [u8]> for Seed<'a> {
    fn from(bytes: &'a [u8]) -> Self {
        Seed { addr: bytes.as_ptr(), len: bytes.len() as u64, _marker: PhantomData }
    }
}

impl<'a, const N: usize> From<&'a [u8; N]> for Seed<'a> {
    fn from(bytes: &'a [u8; N]) -> Self {
        Seed { addr: bytes.as_ptr(), len: N as u64, _marker: PhantomData }
    }
}

/// The seeds (bump included) of one PDA that signs the invoked instruction.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Signer<'a, 'b> {
    addr: *const Seed<'a>,
    len: u64,
    _marker: PhantomData<&'b [Seed<'a>]>,
}

impl<'a, 'b> From<&'b [Seed<'a>]> for Signer<'a, 'b> {
    fn from(seeds: &'b [Seed<'a>]) -> Self {
        Signer { addr: seeds.as_ptr(), len: seeds.len() as u64, _marker: PhantomData }
    }
}

impl<'a, 'b, const N: usize> From<&'b [Seed<'a>; N]> for Signer<'a, 'b> {
    fn from(seeds: &'b [Seed<'a>; N]) -> Self {
        Signer { addr: seeds.as_ptr(), len: N as u64, _marker: PhantomData }
    }
}

/// The runtime's C-ABI `SolInstruction`.
#[repr(C)]
struct CInstruction {
    program_id: *const Pubkey,
    accounts: *const AccountMeta<'static>,
    accounts_len: u64,
    data: *const u8,
    data_len: u64,
}

/// The runtime's C-ABI `SolAccountInfo`.
#[repr(C)]
#[derive(Clone, Copy)]
struct CAccountInfo {
    key: *const Pubkey,
    lamports: *mut u64,
    data_len: u64,
    data: *mut u8,
    owner: *const Pubkey,
    rent_epoch: u64,
    // `bool` in the runtime's layout; bytes here, copied from the header (which holds 0 or 1), so
    // filling them takes no branches
    is_signer: u8,
    is_writable: u8,
    executable: u8,
}

/// Invokes `ix` without PDA signatures.
#[inline]
pub fn invoke<const N: usize>(ix: &Instruction, accounts: &[&AccountView; N]) -> ProgramResult {
    invoke_signed(ix, accounts, &[])
}

/// Most account infos one CPI passes (the infos are built on the stack, 56 bytes each).
pub const MAX_CPI_ACCOUNTS: usize = 16;

/// Invokes `ix`; `accounts[i]` must be the account of `ix.accounts[i]` (extra trailing accounts,
/// such as the invoked program, are allowed). An account the callee may write must have no live
/// borrow, and none may be mutably borrowed, so that the callee never changes data under a view.
#[inline(always)]
pub fn invoke_signed<const N: usize>(ix: &Instruction, accounts: &[&AccountView; N], signers: &[Signer]) -> ProgramResult {
    const { assert!(N <= MAX_CPI_ACCOUNTS, "more account infos than MAX_CPI_ACCOUNTS") };
    invoke_signed_slice(ix, accounts, signers)
}

/// `invoke_signed` for any number of accounts: one copy of the code whatever the CPIs a program
/// makes (five register arguments, so it stays out of line).
#[inline(never)]
fn invoke_signed_slice(ix: &Instruction, accounts: &[&AccountView], signers: &[Signer]) -> ProgramResult {
    if ix.accounts.len() > accounts.len() || accounts.len() > MAX_CPI_ACCOUNTS {
        return Err(ProgramError::NotEnoughAccountKeys);
    }
    for (meta, account) in ix.accounts.iter().zip(accounts.iter()) {
        // metas built from the views point at the very same key: one compare instead of four
        if !core::ptr::eq(meta.pubkey, account.key()) && !pubkey_eq(meta.pubkey(), account.key()) {
            return Err(ProgramError::InvalidArgument);
        }
        let free = if meta.is_writable { account.is_unborrowed() } else { account.is_not_mut_borrowed() };
        if !free {
            return Err(ProgramError::AccountBorrowFailed);
        }
    }
    let mut infos = [const { MaybeUninit::<CAccountInfo>::uninit() }; MAX_CPI_ACCOUNTS];
    for (slot, account) in infos.iter_mut().zip(accounts.iter()) {
        let raw = account.raw();
        // SAFETY: `raw` points at the account's header in the input buffer; the data follows it.
        let info = unsafe {
            CAccountInfo {
                key: &(*raw).key,
                lamports: &mut (*raw).lamports,
                data_len: (*raw).data_len,
                data: (raw as *mut u8).add(core::mem::size_of::<crate::account::RawAccount>()),
                owner: &(*raw).owner,
                rent_epoch: u64::MAX,
                is_signer: (*raw).is_signer,
                is_writable: (*raw).is_writable,
                executable: (*raw).executable,
            }
        };
        *slot = MaybeUninit::new(info);
    }
    let c_ix = CInstruction {
        program_id: ix.program_id,
        accounts: ix.accounts.as_ptr().cast(),
        accounts_len: ix.accounts.len() as u64,
        data: ix.data.as_ptr(),
        data_len: ix.data.len() as u64,
    };
    invoke_raw(&c_ix, &infos[..accounts.len()], signers)
}

#[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
#[inline(always)]
fn invoke_raw(ix: &CInstruction, infos: &[MaybeUninit<CAccountInfo>], signers: &[Signer]) -> ProgramResult {
    // SAFETY: every pointer references data alive for the call and in the runtime's C layout; the
    // infos given were initialised by `invoke_signed_slice`.
    let rc = unsafe {
        crate::syscalls::sol_invoke_signed_c(
            ix as *const CInstruction as *const u8,
            infos.as_ptr() as *const u8,
            infos.len() as u64,
            signers.as_ptr() as *const u8,
            signers.len() as u64,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(ProgramError::Runtime(rc))
    }
}

#[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
fn invoke_raw(_: &CInstruction, _: &[MaybeUninit<CAccountInfo>], _: &[Signer]) -> ProgramResult {
    crate::syscalls::unavailable("sol_invoke_signed_c")
}

/// Fixed-size instruction data builder for CPI payloads (no allocation).
pub struct DataBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> DataBuf<N> {
    pub const fn new() -> Self {
        DataBuf { bytes: [0; N], len: 0 }
    }
    /// Appends bytes; the sizes are fixed in program code, so an overflow is a bug and panics.
    pub fn put(mut self, bytes: &[u8]) -> Self {
        let end = self.len.checked_add(bytes.len()).filter(|e| *e <= N).expect("CPI data larger than its buffer");
        self.bytes[self.len..end].copy_from_slice(bytes);
        self.len = end;
        self
    }
    pub fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl<const N: usize> Default for DataBuf<N> {
    fn default() -> Self {
        Self::new()
    }
}
