//! `open_escrow`: a client opens and funds an escrow for a provider (one supplier, or a cluster of
//! suppliers with payout shares), in SOL or in a token through the mint's vault.

use super::shared::{load_config, token_side};
use crate::errors::EscrowError;
use crate::events::EscrowOpened;
use crate::state::{Escrow, Payee, MAX_CHALLENGE_WINDOW, MAX_PAYEES, MIN_CHALLENGE_WINDOW, SOL_MINT, TOTAL_SHARE_BPS};
use sdk::borsh::Slice;
use sdk::cpi::system::{self, NewAccount};
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::pubkey::{key_cmp, pubkey_eq};
use sdk::state::{AccountState, I64, U16, U64};
use sdk::sysvars::{Clock, Rent};
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Opens an escrow with its terms and first deposit. For a token escrow pass the token
    /// accounts; for SOL pass the program id in their place (Anchor's "absent").
    open_escrow {
        accounts {
            /// Funds the escrow and owns its unspent balance.
            client: [writable signer],
            /// A new keypair: the escrow's address.
            escrow: [writable signer],
            config: [],
            system_program: [address(system::ID)],
            /// Token escrows: the program's vault state for the mint.
            mint_vault: [optional],
            /// Token escrows: the vault token account.
            vault: [writable optional],
            /// Token escrows: the mint (zero-address funding means SOL).
            mint: [optional],
            /// Token escrows: the client's token account paying the deposit.
            client_token: [writable optional],
            /// Token escrows: the mint's token program.
            token_program: [optional],
        }
        args {
            /// Supplier wallet or provenance cluster account the escrow pays for.
            provider: &'a Pubkey,
            /// The provider's signer allowed to charge.
            provider_meter: &'a Pubkey,
            /// A program PDA allowed to charge (provenance's meter), or zero for none.
            program_meter: &'a Pubkey,
            /// Who gets paid and their shares (bps adding up to 10,000), sorted by owner.
            payees: Slice<'a, Payee>,
            max_price_per_unit: u64,
            expires_at: i64,
            challenge_window: i64,
            /// First deposit (may be zero).
            deposit: u64,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let (paused, fee_bps) = {
        let config = load_config(ctx.config, program_id)?;
        (config.paused.get(), config.fee_bps.get())
    };
    require(!paused, EscrowError::Paused)?;
    let now = Clock::now()?;
    require(args.expires_at > now, EscrowError::InvalidExpiry)?;
    require(
        (MIN_CHALLENGE_WINDOW..=MAX_CHALLENGE_WINDOW).contains(&args.challenge_window),
        EscrowError::InvalidChallengeWindow,
    )?;
    require(args.max_price_per_unit > 0, EscrowError::InvalidPrice)?;
    require(!pubkey_eq(args.provider_meter, &[0; 32]), EscrowError::InvalidMeter)?;
    validate_payees(&args.payees)?;

    let mint = ctx.mint.map_or(SOL_MINT, |m| *m.key());
    let token = token_side(program_id, &mint, [ctx.mint_vault, ctx.vault, ctx.mint, ctx.token_program])?;
    require(token.is_some() == ctx.client_token.is_some(), EscrowError::FundingMismatch)?;
    // SOL: the deposit rides on the account creation; tokens: a transfer into the vault after.
    let rent = Rent::exempt_minimum(Escrow::LEN)?;
    let lamports = if token.is_none() { rent.checked_add(args.deposit).ok_or(ProgramError::ArithmeticOverflow)? } else { rent };
    NewAccount { payer: ctx.client, account: ctx.escrow, lamports, space: Escrow::LEN, owner: program_id }.create(&[])?;
    if let Some(token) = &token {
        let from = ctx.client_token.ok_or_else::<ProgramError, _>(|| EscrowError::FundingMismatch.into())?;
        if args.deposit > 0 {
            token.deposit(from, ctx.client, args.deposit)?;
        }
    }

    let payees_hash = args.payees.hash();
    let mut escrow = Escrow::init(ctx.escrow, program_id)?;
    escrow.client = *ctx.client.key();
    escrow.mint = mint;
    escrow.provider = *args.provider;
    escrow.provider_meter = *args.provider_meter;
    escrow.program_meter = *args.program_meter;
    escrow.payees_hash = payees_hash;
    escrow.payee_count = args.payees.len() as u8;
    escrow.max_price_per_unit = U64::new(args.max_price_per_unit);
    escrow.fee_bps = U16::new(fee_bps);
    escrow.opened_at = I64::new(now);
    escrow.expires_at = I64::new(args.expires_at);
    escrow.challenge_window = I64::new(args.challenge_window);
    escrow.deposited = U64::new(args.deposit);
    drop(escrow);

    EscrowOpened {
        discriminator: Discriminator::EVENT,
        escrow: *ctx.escrow.key(),
        client: *ctx.client.key(),
        mint,
        provider: *args.provider,
        provider_meter: *args.provider_meter,
        program_meter: *args.program_meter,
        payees: args.payees,
        payees_hash,
        max_price_per_unit: args.max_price_per_unit,
        fee_bps,
        opened_at: now,
        expires_at: args.expires_at,
        challenge_window: args.challenge_window,
        deposited: args.deposit,
    }
    .emit();
    Ok(())
}

/// 1 to 64 payees, sorted by owner with no repeats (so distinctness costs one pass), every share
/// positive, shares adding up to exactly 10,000 bps.
fn validate_payees(payees: &Slice<Payee>) -> ProgramResult {
    let count = payees.len();
    require((1..=MAX_PAYEES).contains(&count), EscrowError::InvalidPayees)?;
    let mut total: u32 = 0;
    let mut previous: Option<&Pubkey> = None;
    for payee in payees.items() {
        let share = payee.share_bps.get();
        require(share > 0, EscrowError::InvalidPayees)?;
        require(previous.is_none_or(|p| key_cmp(p, &payee.owner).is_lt()), EscrowError::InvalidPayees)?;
        total = total.checked_add(share as u32).ok_or(ProgramError::ArithmeticOverflow)?;
        previous = Some(&payee.owner);
    }
    require(total == TOTAL_SHARE_BPS as u32, EscrowError::InvalidPayees)
}
