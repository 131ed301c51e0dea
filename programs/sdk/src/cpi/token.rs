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

/// TransferChecked: moves `amount` (in base units of a mint with `decimals`) from `from` to `to`;
/// `authority` owns `from` (a PDA signs through `signers`). Checked transfers are the only ones
/// Token-2022 accepts for every mint. (A struct: more than five registers of arguments would make
/// every call site inline the whole CPI.)
pub struct TransferChecked<'a> {
    pub token_program: &'a AccountView,
    pub from: &'a AccountView,
    pub mint: &'a AccountView,
    pub to: &'a AccountView,
    pub authority: &'a AccountView,
    pub amount: u64,
    pub decimals: u8,
}

impl TransferChecked<'_> {
    pub fn invoke_signed(&self, signers: &[Signer]) -> ProgramResult {
        let data = DataBuf::<10>::new().put(&[TRANSFER_CHECKED]).put(&self.amount.to_le_bytes()).put(&[self.decimals]);
        let metas = [
            AccountMeta::writable(self.from.key()),
            AccountMeta::readonly(self.mint.key()),
            AccountMeta::writable(self.to.key()),
            AccountMeta::readonly_signer(self.authority.key()),
        ];
        let ix = Instruction { program_id: self.token_program.key(), accounts: &metas, data: data.as_slice() };
        invoke_signed(&ix, &[self.from, self.mint, self.to, self.authority], signers)
    }
}

/// Initializes a token account (already allocated and owned by the token program) for `mint`
/// and `owner`; needs no rent sysvar account.
pub fn initialize_account3(token_program: &AccountView, account: &AccountView, mint: &AccountView, owner: &Pubkey) -> ProgramResult {
    let data = DataBuf::<33>::new().put(&[INITIALIZE_ACCOUNT3]).put(owner);
    let metas = [AccountMeta::writable(account.key()), AccountMeta::readonly(mint.key())];
    let ix = Instruction { program_id: token_program.key(), accounts: &metas, data: data.as_slice() };
    invoke_signed(&ix, &[account, mint], &[])
}

/// CloseAccount: closes an empty token account owned by `owner`, its rent to `destination`.
pub struct CloseAccount<'a> {
    pub token_program: &'a AccountView,
    pub account: &'a AccountView,
    pub destination: &'a AccountView,
    pub owner: &'a AccountView,
}

impl CloseAccount<'_> {
    pub fn invoke_signed(&self, signers: &[Signer]) -> ProgramResult {
        let data = [CLOSE_ACCOUNT];
        let metas = [
            AccountMeta::writable(self.account.key()),
            AccountMeta::writable(self.destination.key()),
            AccountMeta::readonly_signer(self.owner.key()),
        ];
        let ix = Instruction { program_id: self.token_program.key(), accounts: &metas, data: &data };
        invoke_signed(&ix, &[self.account, self.destination, self.owner], signers)
    }
}

/// Program ids callers may pass as `token_program`.
pub fn is_token_program(id: &Pubkey) -> bool {
    crate::pubkey::pubkey_eq(id, &crate::token::TOKEN_PROGRAM_ID) || crate::pubkey::pubkey_eq(id, &crate::token::TOKEN_2022_PROGRAM_ID)
}
