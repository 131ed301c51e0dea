//! `create_distributor`: a distributor for one reward mint (SOL, or an SPL token held in a vault
//! token account the distributor owns). Refuses mints whose extensions would make payouts inexact or
//! blockable, and vaults anyone else could move or close.

use crate::errors::RewardsError;
use crate::events::DistributorCreated;
use crate::state::{ClaimStatus, Distributor, DISTRIBUTOR_SEED, SOL_MINT};
use sdk::cpi::token::is_token_program;
use sdk::cpi::system::{self, NewAccount};
use sdk::cpi::{Seed, Signer};
use sdk::error::{require, FrameworkError};
use sdk::event::{Discriminator, Event};
use sdk::pda::{canonical_bump, PdaSeeds};
use sdk::pubkey::pubkey_eq;
use sdk::state::{AccountState, I64, U64};
use sdk::sysvars::{Clock, Rent};
use sdk::token::{extension, Mint, TokenAccount};
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Creates a distributor. For a token distributor pass the vault, mint and token program; for
    /// SOL pass the program id in their place (Anchor's "absent").
    create_distributor {
        accounts {
            /// Pays the rent (returned at close) and is part of the address.
            creator: [writable signer],
            /// PDA ["distributor", mint (zero for SOL), creator, id (u64 LE)].
            distributor: [writable],
            system_program: [address(system::ID)],
            /// Token distributors: a token account of the mint owned by the distributor, with no
            /// delegate and no close authority (its associated token account, created just before).
            vault: [optional],
            /// Token distributors: the reward mint.
            mint: [optional],
            /// Token distributors: SPL Token or Token-2022, the mint's owner.
            token_program: [optional],
        }
        args {
            /// The creator's number for this distributor (never reuse one: see docs/rewards.md).
            id: u64,
            /// Publishes roots, updates, pauses.
            authority: &'a Pubkey,
            /// Receives what is unclaimed at clawback.
            treasury: &'a Pubkey,
            /// Unix time from which anyone may claw back what is unclaimed.
            expires_at: i64,
        }
    }
}

/// Token-2022 mint extensions that leave transfers exact and unblockable. Anything else (transfer
/// fees, hooks, confidential transfers, non-transferable, permanent delegate, pausable, default
/// frozen state, ...) is refused: a supplier must receive exactly its entitlement.
const ALLOWED_EXTENSIONS: [u16; 5] = [
    extension::MINT_CLOSE_AUTHORITY,
    extension::METADATA_POINTER,
    extension::TOKEN_METADATA,
    extension::INTEREST_BEARING_CONFIG,
    extension::SCALED_UI_AMOUNT,
];

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let clock = Clock::get()?;
    require(args.expires_at > clock.unix_timestamp, RewardsError::InvalidExpiry)?;
    require(!pubkey_eq(args.authority, &SOL_MINT) && !pubkey_eq(args.treasury, &SOL_MINT), RewardsError::InvalidAddress)?;
    if ctx.distributor.is_owned_by(program_id) {
        return Err(FrameworkError::AccountDiscriminatorAlreadySet.on("distributor"));
    }
    let (mint, token_program, vault) = match (ctx.vault, ctx.mint, ctx.token_program) {
        (None, None, None) => (&SOL_MINT, &SOL_MINT, &SOL_MINT),
        (Some(vault), Some(mint), Some(token_program)) => (mint.key(), token_program.key(), vault.key()),
        _ => return Err(RewardsError::FundingMismatch.into()),
    };
    let id = args.id.to_le_bytes();
    let bump = canonical_bump(ctx.distributor, &PdaSeeds { seeds: &[DISTRIBUTOR_SEED, mint, ctx.creator.key(), &id], program_id }, "distributor")?;
    let address = *ctx.distributor.key();
    let decimals = match (ctx.vault, ctx.mint, ctx.token_program) {
        (Some(vault), Some(mint_account), Some(token_program_account)) => {
            let decimals = check_mint(mint_account, token_program_account)?;
            check_vault(vault, token_program, mint, &address)?;
            decimals
        }
        _ => 0,
    };

    let rent = Rent::get()?;
    let rent_reserve = rent.minimum_balance(Distributor::LEN)?;
    let bump_seed = [bump];
    let seeds = [Seed::from(DISTRIBUTOR_SEED), Seed::from(mint), Seed::from(ctx.creator.key()), Seed::from(&id), Seed::from(&bump_seed)];
    let new = NewAccount { payer: ctx.creator, account: ctx.distributor, lamports: rent_reserve, space: Distributor::LEN, owner: program_id };
    new.create_even_if_funded(&[Signer::from(&seeds)])?;

    let mut distributor = Distributor::init(ctx.distributor, program_id)?;
    distributor.creator = *ctx.creator.key();
    distributor.id = U64::new(args.id);
    distributor.mint = *mint;
    distributor.token_program = *token_program;
    distributor.vault = *vault;
    distributor.authority = *args.authority;
    distributor.treasury = *args.treasury;
    distributor.created_at = I64::new(clock.unix_timestamp);
    distributor.created_slot = U64::new(clock.slot);
    distributor.expires_at = I64::new(args.expires_at);
    distributor.rent_reserve = U64::new(rent_reserve);
    distributor.claim_status_rent = U64::new(rent.minimum_balance(ClaimStatus::LEN)?);
    distributor.decimals = decimals;
    distributor.bump = bump;
    DistributorCreated { discriminator: Discriminator::EVENT, distributor: address, state: *distributor }.emit();
    Ok(())
}

/// The mint's decimals, after checking its token program and extensions.
fn check_mint(mint: &AccountView, token_program: &AccountView) -> Result<u8, ProgramError> {
    if !is_token_program(token_program.key()) {
        return Err(FrameworkError::InvalidProgramId.on("token_program"));
    }
    if !mint.is_owned_by(token_program.key()) {
        return Err(RewardsError::TokenProgramMismatch.into());
    }
    let mint = Mint::load(mint)?;
    if mint.extensions().any(|tag| !ALLOWED_EXTENSIONS.contains(&tag)) {
        return Err(RewardsError::UnsupportedMint.into());
    }
    Ok(mint.decimals())
}

/// The vault must be a token account of the mint, under its token program, owned by the
/// distributor, with no delegate and no close authority: then only the distributor moves or closes
/// it. (Token-2022 account extensions are harmless once the mint's are vetted.)
fn check_vault(vault: &AccountView, token_program: &Pubkey, mint: &Pubkey, distributor: &Pubkey) -> ProgramResult {
    if !vault.is_owned_by(token_program) {
        return Err(RewardsError::VaultMismatch.into());
    }
    let account = TokenAccount::load(vault)?;
    let sound = account.is_mint(mint) && pubkey_eq(account.owner(), distributor) && !account.has_delegate() && !account.has_close_authority();
    require(sound, RewardsError::VaultMismatch)
}
