//! Pieces several instructions share: the config, role checks, and moving SOL or tokens.

use crate::errors::EscrowError;
use crate::state::{Config, Escrow, MintVault, MINT_VAULT_SEED, SOL_MINT};
use sdk::account::{require_distinct, Ref};
use sdk::cpi::token::TransferChecked;
use sdk::cpi::{system, Seed, Signer};
use sdk::pubkey::pubkey_eq;
use sdk::state::AccountState;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

/// The config. Only `initialize_config` creates an account of this type, at the config PDA, so
/// owner and discriminator identify it.
pub fn load_config<'a>(config: &'a AccountView, program_id: &Pubkey) -> Result<Ref<'a, Config>, ProgramError> {
    Config::load(config, program_id)
}

/// Fails unless `signer` is the key `expected` (the account's signature was checked at parse).
pub fn require_key(signer: &AccountView, expected: &Pubkey, error: EscrowError) -> ProgramResult {
    if pubkey_eq(signer.key(), expected) {
        Ok(())
    } else {
        Err(error.into())
    }
}

/// The token-side accounts of a token escrow, validated against the program's vault for the mint.
pub struct TokenSide<'a> {
    pub mint_vault: &'a AccountView,
    pub vault: &'a AccountView,
    pub mint: &'a AccountView,
    pub token_program: &'a AccountView,
    pub decimals: u8,
    pub bump: u8,
}

/// Validates the optional token accounts of an instruction (mint vault, vault, mint, token
/// program): all absent for a SOL escrow, all present and matching the mint's vault for a token
/// escrow. (An array: more than five registers of arguments would inline this at every caller.)
#[inline(never)]
pub fn token_side<'a>(program_id: &Pubkey, escrow_mint: &Pubkey, accounts: [Option<&'a AccountView>; 4]) -> Result<Option<TokenSide<'a>>, ProgramError> {
    let [mint_vault, vault, mint, token_program] = accounts;
    let is_sol = pubkey_eq(escrow_mint, &SOL_MINT);
    match (mint_vault, vault, mint, token_program) {
        (None, None, None, None) if is_sol => Ok(None),
        (Some(mint_vault), Some(vault), Some(mint), Some(token_program)) if !is_sol => {
            let state = MintVault::load(mint_vault, program_id)?;
            if !pubkey_eq(&state.mint, escrow_mint) || !pubkey_eq(mint.key(), escrow_mint) {
                return Err(EscrowError::MintMismatch.into());
            }
            if !pubkey_eq(&state.vault, vault.key()) {
                return Err(EscrowError::VaultMismatch.into());
            }
            if !pubkey_eq(&state.token_program, token_program.key()) {
                return Err(EscrowError::TokenProgramMismatch.into());
            }
            let (decimals, bump) = (state.decimals, state.bump);
            drop(state);
            Ok(Some(TokenSide { mint_vault, vault, mint, token_program, decimals, bump }))
        }
        _ => Err(EscrowError::FundingMismatch.into()),
    }
}

impl TokenSide<'_> {
    /// Moves `amount` from a depositor's token account (the depositor signs) into the vault.
    pub fn deposit(&self, from: &AccountView, owner: &AccountView, amount: u64) -> ProgramResult {
        self.transfer(from, self.vault, owner, amount, &[])
    }

    /// Moves `amount` out of the vault, signed by the mint-vault PDA.
    pub fn pay_out(&self, to: &AccountView, amount: u64) -> ProgramResult {
        // a transfer from the vault to itself would take the amount off the books and leave it in the vault
        require_distinct(self.vault, to, "destination")?;
        let bump = [self.bump];
        let seeds = [Seed::from(MINT_VAULT_SEED), Seed::from(self.mint.key()), Seed::from(&bump)];
        self.transfer(self.vault, to, self.mint_vault, amount, &[Signer::from(&seeds)])
    }

    fn transfer(&self, from: &AccountView, to: &AccountView, authority: &AccountView, amount: u64, signers: &[Signer]) -> ProgramResult {
        let transfer = TransferChecked { token_program: self.token_program, from, mint: self.mint, to, authority, amount, decimals: self.decimals };
        transfer.invoke_signed(signers)
    }
}


/// Takes `amount` from the client into a SOL escrow's account, or into the vault for tokens.
pub fn take_deposit(
    client: &AccountView,
    escrow: &AccountView,
    client_token: Option<&AccountView>,
    token: Option<&TokenSide>,
    amount: u64,
) -> ProgramResult {
    match (token, client_token) {
        (None, None) => system::transfer(client, escrow, amount, &[]),
        (Some(token), Some(from)) => token.deposit(from, client, amount),
        _ => Err(EscrowError::FundingMismatch.into()),
    }
}

/// The escrow's client must have signed.
pub fn require_client(escrow: &Escrow, client: &AccountView) -> ProgramResult {
    require_key(client, &escrow.client, EscrowError::NotClient)
}

