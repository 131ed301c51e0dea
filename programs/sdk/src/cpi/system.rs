//! System Program instructions.

use super::{invoke_signed, AccountMeta, DataBuf, Instruction, Signer};
use crate::account::AccountView;
use crate::error::ProgramResult;
use crate::pubkey::Pubkey;
use crate::sysvars::Rent;

/// The System Program's address.
pub const ID: Pubkey = [0u8; 32];

const CREATE_ACCOUNT: u32 = 0;
const ASSIGN: u32 = 1;
const TRANSFER: u32 = 2;
const ALLOCATE: u32 = 8;

/// Creates `new_account` with `lamports`, `space` bytes and `owner`; both must sign (a PDA
/// through `signers`).
pub fn create_account(
    payer: &AccountView,
    new_account: &AccountView,
    lamports: u64,
    space: u64,
    owner: &Pubkey,
    signers: &[Signer],
) -> ProgramResult {
    let data = DataBuf::<52>::new()
        .put(&CREATE_ACCOUNT.to_le_bytes())
        .put(&lamports.to_le_bytes())
        .put(&space.to_le_bytes())
        .put(owner);
    let metas = [AccountMeta::writable_signer(payer.key()), AccountMeta::writable_signer(new_account.key())];
    invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[payer, new_account], signers)
}

/// Moves `lamports` from a system-owned `from` (a signer) to `to`.
pub fn transfer(from: &AccountView, to: &AccountView, lamports: u64, signers: &[Signer]) -> ProgramResult {
    let data = DataBuf::<12>::new().put(&TRANSFER.to_le_bytes()).put(&lamports.to_le_bytes());
    let metas = [AccountMeta::writable_signer(from.key()), AccountMeta::writable(to.key())];
    invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[from, to], signers)
}

/// Sets the data size of a system-owned, empty account (a signer).
pub fn allocate(account: &AccountView, space: u64, signers: &[Signer]) -> ProgramResult {
    let data = DataBuf::<12>::new().put(&ALLOCATE.to_le_bytes()).put(&space.to_le_bytes());
    let metas = [AccountMeta::writable_signer(account.key())];
    invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[account], signers)
}

/// Hands a system-owned account (a signer) to `owner`.
pub fn assign(account: &AccountView, owner: &Pubkey, signers: &[Signer]) -> ProgramResult {
    let data = DataBuf::<36>::new().put(&ASSIGN.to_le_bytes()).put(owner);
    let metas = [AccountMeta::writable_signer(account.key())];
    invoke_signed(&Instruction { program_id: &ID, accounts: &metas, data: data.as_slice() }, &[account], signers)
}

/// Creates a rent-exempt account of `space` bytes owned by `owner`, also when someone already
/// sent lamports to its address (which makes a plain CreateAccount fail: a cheap denial of service
/// against PDAs whose address is predictable).
pub fn create_rent_exempt_account(
    payer: &AccountView,
    new_account: &AccountView,
    space: usize,
    owner: &Pubkey,
    signers: &[Signer],
) -> ProgramResult {
    let required = Rent::get()?.minimum_balance(space)?;
    create_account_holding(payer, new_account, required, space, owner, signers)
}

/// As [`create_rent_exempt_account`] with the balance given: the new account ends up holding at
/// least `lamports` (for a program that stored the rent of its accounts once and spares the sysvar).
pub fn create_account_holding(
    payer: &AccountView,
    new_account: &AccountView,
    lamports: u64,
    space: usize,
    owner: &Pubkey,
    signers: &[Signer],
) -> ProgramResult {
    let current = new_account.lamports();
    if current == 0 {
        return create_account(payer, new_account, lamports, space as u64, owner, signers);
    }
    if let Some(top_up) = lamports.checked_sub(current).filter(|t| *t > 0) {
        transfer(payer, new_account, top_up, &[])?;
    }
    allocate(new_account, space as u64, signers)?;
    assign(new_account, owner, signers)
}
