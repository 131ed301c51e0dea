//! Pieces several instructions share: role checks, the distributor's PDA signature, and moving SOL
//! or tokens out of (or into) a distributor.

use crate::errors::RewardsError;
use crate::state::{Distributor, DISTRIBUTOR_SEED, SOL_MINT};
use sdk::cpi::token::{CloseAccount, TransferChecked};
use sdk::cpi::{Seed, Signer};
use sdk::pubkey::pubkey_eq;
use sdk::token::TOKEN_ACCOUNT_LEN;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

/// Fails with `error` unless `signer` is the key `expected` (the signature was checked at parse).
#[inline(always)]
pub fn require_key(signer: &AccountView, expected: &Pubkey, error: RewardsError) -> ProgramResult {
    if pubkey_eq(signer.key(), expected) {
        Ok(())
    } else {
        Err(error.into())
    }
}

/// Runs `f` with the distributor PDA's signature, its seeds read in place from the state (which
/// must stay borrowed, shared, while the distributor goes read-only into the CPI).
#[inline(always)]
pub fn sign_as_distributor<R>(distributor: &Distributor, f: impl FnOnce(&[Signer]) -> R) -> R {
    let id = distributor.id.get().to_le_bytes();
    let bump = [distributor.bump];
    let seeds = [
        Seed::from(DISTRIBUTOR_SEED),
        Seed::from(&distributor.mint),
        Seed::from(&distributor.creator),
        Seed::from(&id),
        Seed::from(&bump),
    ];
    f(&[Signer::from(&seeds)])
}

/// A token transfer's accounts and amount.
struct Movement<'a> {
    from: &'a AccountView,
    to: &'a AccountView,
    authority: &'a AccountView,
    amount: u64,
}

/// The token-side accounts of a token distributor, checked against its state.
pub struct TokenSide<'a> {
    pub vault: &'a AccountView,
    pub mint: &'a AccountView,
    pub token_program: &'a AccountView,
    pub decimals: u8,
}

/// Validates the optional token accounts of an instruction: all absent for a SOL distributor, all
/// present and equal to the distributor's for a token one.
pub fn token_side<'a>(
    distributor: &Distributor,
    vault: Option<&'a AccountView>,
    mint: Option<&'a AccountView>,
    token_program: Option<&'a AccountView>,
) -> Result<Option<TokenSide<'a>>, ProgramError> {
    let is_sol = pubkey_eq(&distributor.mint, &SOL_MINT);
    match (vault, mint, token_program) {
        (None, None, None) if is_sol => Ok(None),
        (Some(vault), Some(mint), Some(token_program)) if !is_sol => {
            if !pubkey_eq(vault.key(), &distributor.vault) {
                return Err(RewardsError::VaultMismatch.into());
            }
            if !pubkey_eq(mint.key(), &distributor.mint) {
                return Err(RewardsError::MintMismatch.into());
            }
            if !pubkey_eq(token_program.key(), &distributor.token_program) {
                return Err(RewardsError::TokenProgramMismatch.into());
            }
            Ok(Some(TokenSide { vault, mint, token_program, decimals: distributor.decimals }))
        }
        _ => Err(RewardsError::FundingMismatch.into()),
    }
}

impl TokenSide<'_> {
    /// Tokens in the vault. The vault is the distributor's own token account (its address was
    /// checked against the state), so its amount is read in place.
    pub fn balance(&self) -> Result<u64, ProgramError> {
        let data = self.vault.try_borrow_data()?;
        let amount: [u8; 8] = data.get(64..72).and_then(|b| b.try_into().ok()).ok_or(ProgramError::InvalidAccountData)?;
        Ok(u64::from_le_bytes(amount))
    }

    /// Checks that `account` is a token account of the mint, under the distributor's token program,
    /// owned by `owner` (a supplier or the treasury): rewards never go anywhere else.
    /// (The vault itself never passes: the distributor owns it, and no leaf names the distributor.)
    pub fn require_recipient(&self, account: &AccountView, owner: &Pubkey) -> ProgramResult {
        if !account.is_owned_by(self.token_program.key()) {
            return Err(RewardsError::DestinationMismatch.into());
        }
        let data = account.try_borrow_data()?;
        // mint (0..32), owner (32..64), state (108): 1 initialized, 2 frozen (the transfer fails then)
        let Some(fields) = data.first_chunk::<TOKEN_ACCOUNT_LEN>() else {
            return Err(RewardsError::DestinationMismatch.into());
        };
        let mint: &Pubkey = fields[..32].try_into().expect("32 bytes");
        let holder: &Pubkey = fields[32..64].try_into().expect("32 bytes");
        if !pubkey_eq(mint, self.mint.key()) {
            return Err(RewardsError::MintMismatch.into());
        }
        if !pubkey_eq(holder, owner) || fields[108] == 0 {
            return Err(RewardsError::DestinationMismatch.into());
        }
        Ok(())
    }

    /// Moves `amount` from a depositor's token account (the depositor signs) into the vault.
    pub fn deposit(&self, from: &AccountView, owner: &AccountView, amount: u64) -> ProgramResult {
        self.transfer(&Movement { from, to: self.vault, authority: owner, amount }, &[])
    }

    /// Moves `amount` out of the vault, signed by the distributor (`state` is its state, borrowed
    /// shared).
    pub fn pay_out(&self, state: &Distributor, distributor: &AccountView, to: &AccountView, amount: u64) -> ProgramResult {
        sign_as_distributor(state, |signers| self.transfer(&Movement { from: self.vault, to, authority: distributor, amount }, signers))
    }

    /// One out-of-line `transfer_checked` for deposits and payouts.
    #[inline(never)]
    fn transfer(&self, m: &Movement, signers: &[Signer]) -> ProgramResult {
        TransferChecked { token_program: self.token_program, from: m.from, mint: self.mint, to: m.to, authority: m.authority, amount: m.amount, decimals: self.decimals }
            .invoke_signed(signers)
    }

    /// Closes the (empty) vault, its rent to `destination`, signed by the distributor.
    pub fn close_vault(&self, state: &Distributor, distributor: &AccountView, destination: &AccountView) -> ProgramResult {
        sign_as_distributor(state, |signers| {
            CloseAccount { token_program: self.token_program, account: self.vault, destination, owner: distributor }.invoke_signed(signers)
        })
    }
}

/// SOL rewards a distributor holds: its lamports above the rent reserve.
#[inline(always)]
pub fn sol_balance(distributor: &AccountView, rent_reserve: u64) -> u64 {
    distributor.lamports().saturating_sub(rent_reserve)
}

