//! SPL Token and Token-2022 instructions (same encoding for both; the program id chooses).
//!
//! The token program's own account is not among the account infos passed to the runtime: it finds
//! the callee by its id (which the transaction must list), and each info costs about 30 CU to build.

use super::{invoke_signed, AccountMeta, DataBuf, Instruction, Signer};
use crate::account::AccountView;
use crate::error::ProgramResult;
use crate::pubkey::Pubkey;

const CLOSE_ACCOUNT: u8 = 9;
const TRANSFER_CHECKED: u8 = 12;
const INITIALIZE_ACCOUNT3: u8 = 18;

/// Moves `amount` (in base units of a mint with `decimals`) from `from` to `to`; `authority` owns
/// `from` (a PDA signs through `signers`). Checked transfers are the only ones Token-2022 accepts
/// for every mint.
#[allow(clippy::too_many_arguments)]
pub fn transfer_checked(
    token_program: &AccountView,
    from: &AccountView,
    mint: &AccountView,
    to: &AccountView,
    authority: &AccountView,
    amount: u64,
    decimals: u8,
    signers: &[Signer],
) -> ProgramResult {
    let data = DataBuf::<10>::new().put(&[TRANSFER_CHECKED]).put(&amount.to_le_bytes()).put(&[decimals]);
    let metas = [
        AccountMeta::writable(from.key()),
        AccountMeta::readonly(mint.key()),
        AccountMeta::writable(to.key()),
        AccountMeta::readonly_signer(authority.key()),
    ];
    let ix = Instruction { program_id: token_program.key(), accounts: &metas, data: data.as_slice() };
    invoke_signed(&ix, &[from, mint, to, authority], signers)
}

/// Initializes a token account (already allocated and owned by the token program) for `mint`
/// and `owner`; needs no rent sysvar account.
pub fn initialize_account3(token_program: &AccountView, account: &AccountView, mint: &AccountView, owner: &Pubkey) -> ProgramResult {
    let data = DataBuf::<33>::new().put(&[INITIALIZE_ACCOUNT3]).put(owner);
    let metas = [AccountMeta::writable(account.key()), AccountMeta::readonly(mint.key())];
    let ix = Instruction { program_id: token_program.key(), accounts: &metas, data: data.as_slice() };
    invoke_signed(&ix, &[account, mint], &[])
}

/// Closes an empty token account, sending its rent to `destination`.
pub fn close_account(
    token_program: &AccountView,
    account: &AccountView,
    destination: &AccountView,
    owner: &AccountView,
    signers: &[Signer],
) -> ProgramResult {
    let data = [CLOSE_ACCOUNT];
    let metas = [
        AccountMeta::writable(account.key()),
        AccountMeta::writable(destination.key()),
        AccountMeta::readonly_signer(owner.key()),
    ];
    let ix = Instruction { program_id: token_program.key(), accounts: &metas, data: &data };
    invoke_signed(&ix, &[account, destination, owner], signers)
}

/// Program ids callers may pass as `token_program`.
pub fn is_token_program(id: &Pubkey) -> bool {
    crate::pubkey::pubkey_eq(id, &crate::token::TOKEN_PROGRAM_ID) || crate::pubkey::pubkey_eq(id, &crate::token::TOKEN_2022_PROGRAM_ID)
}
