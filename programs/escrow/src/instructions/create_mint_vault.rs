//! `create_mint_vault`: the program's token account for a mint, shared by every escrow and
//! earnings account of that mint. Refuses mints whose extensions would break the accounting.

use crate::errors::EscrowError;
use crate::events::MintVaultCreated;
use crate::state::{MintVault, MINT_VAULT_SEED, VAULT_SEED};
use sdk::cpi::token::{initialize_account3, is_token_program};
use sdk::cpi::{system, Seed, Signer};
use sdk::cpi::system::NewAccount;
use sdk::error::FrameworkError;
use sdk::event::{Discriminator, Event};
use sdk::pda::{canonical_bump, PdaSeeds};
use sdk::state::AccountState;
use sdk::token::{extension, Mint, TOKEN_ACCOUNT_LEN};
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Creates the vault for a token mint (anyone may, paying the rent).
    create_mint_vault {
        accounts {
            payer: [writable signer],
            /// PDA ["mint_vault", mint]: the vault's state and token authority.
            mint_vault: [writable],
            /// PDA ["vault", mint]: the token account.
            vault: [writable],
            mint: [],
            /// SPL Token or Token-2022: the mint's owner.
            token_program: [],
            system_program: [address(system::ID)],
        }
        args {}
    }
}

/// Token-2022 mint extensions that leave transfers exact and unblockable. Anything else (transfer
/// fees, hooks, confidential transfers, non-transferable, permanent delegate, pausable, default
/// frozen state, ...) is refused: the vault's balance must always equal what the books say. A mint
/// close authority is refused too: at zero supply the mint could be closed and re-created at the same
/// address with, say, a permanent delegate, while the vault stays in use.
const ALLOWED_EXTENSIONS: [u16; 4] = [
    extension::METADATA_POINTER,
    extension::TOKEN_METADATA,
    extension::INTEREST_BEARING_CONFIG,
    extension::SCALED_UI_AMOUNT,
];

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    if !is_token_program(ctx.token_program.key()) {
        return Err(FrameworkError::InvalidProgramId.on("token_program"));
    }
    if !ctx.mint.is_owned_by(ctx.token_program.key()) {
        return Err(EscrowError::TokenProgramMismatch.into());
    }
    let decimals = {
        let mint = Mint::load(ctx.mint)?;
        if mint.extensions().any(|tag| !ALLOWED_EXTENSIONS.contains(&tag)) {
            return Err(EscrowError::UnsupportedMint.into());
        }
        mint.decimals()
    };
    let bump = canonical_bump(ctx.mint_vault, &PdaSeeds { seeds: &[MINT_VAULT_SEED, ctx.mint.key()], program_id }, "mint_vault")?;
    let vault_bump = canonical_bump(ctx.vault, &PdaSeeds { seeds: &[VAULT_SEED, ctx.mint.key()], program_id }, "vault")?;

    let bump_seed = [bump];
    let seeds = [Seed::from(MINT_VAULT_SEED), Seed::from(ctx.mint.key()), Seed::from(&bump_seed)];
    NewAccount::rent_exempt(ctx.payer, ctx.mint_vault, MintVault::LEN, program_id)?.create_even_if_funded(&[Signer::from(&seeds)])?;
    let vault_bump_seed = [vault_bump];
    let vault_seeds = [Seed::from(VAULT_SEED), Seed::from(ctx.mint.key()), Seed::from(&vault_bump_seed)];
    NewAccount::rent_exempt(ctx.payer, ctx.vault, TOKEN_ACCOUNT_LEN, ctx.token_program.key())?.create_even_if_funded(&[Signer::from(&vault_seeds)])?;
    initialize_account3(ctx.token_program, ctx.vault, ctx.mint, ctx.mint_vault.key())?;

    let mut state = MintVault::init(ctx.mint_vault, program_id)?;
    state.mint = *ctx.mint.key();
    state.token_program = *ctx.token_program.key();
    state.vault = *ctx.vault.key();
    state.decimals = decimals;
    state.bump = bump;
    drop(state);
    MintVaultCreated {
        discriminator: Discriminator::EVENT,
        mint_vault: *ctx.mint_vault.key(),
        mint: *ctx.mint.key(),
        token_program: *ctx.token_program.key(),
        vault: *ctx.vault.key(),
        decimals,
    }
    .emit();
    Ok(())
}
