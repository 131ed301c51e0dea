//! `clawback`: after expiry anyone sends what is unclaimed to the treasury and closes the
//! distributor (and its vault); their rent returns to the creator. The closed distributor cannot
//! be revived: it returns to the system program with no data.

use super::shared::{sol_balance, token_side};
use sdk::account::move_lamports;
use crate::errors::RewardsError;
use crate::events::DistributorClawedBack;
use crate::state::Distributor;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::pubkey::pubkey_eq;
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Claws back the unclaimed rewards of an expired distributor and closes it. Anyone may call
    /// it. For a token distributor pass the vault, mint and token program; for SOL pass the program
    /// id in their place.
    clawback {
        accounts {
            distributor: [writable],
            /// The treasury's wallet (SOL) or a token account of the mint the treasury owns.
            destination: [writable],
            /// The distributor's creator: gets the rent of the distributor and its vault.
            creator: [writable],
            /// Token distributors: the vault.
            vault: [writable optional],
            /// Token distributors: the mint.
            mint: [optional],
            /// Token distributors: the mint's token program.
            token_program: [optional],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let now = Clock::now()?;
    let distributor = Distributor::load(ctx.distributor, program_id)?;
    require(distributor.is_expired(now), RewardsError::DistributorNotExpired)?;
    require(pubkey_eq(ctx.creator.key(), &distributor.creator), RewardsError::RentPayerMismatch)?;
    let token = token_side(&distributor, ctx.vault, ctx.mint, ctx.token_program)?;
    let (treasury, rent_reserve) = (distributor.treasury, distributor.rent_reserve.get());
    let mut event = DistributorClawedBack { discriminator: Discriminator::EVENT, distributor: *ctx.distributor.key(), destination: *ctx.destination.key(), amount: 0, rent_returned: 0, state: *distributor };

    let creator_before = ctx.creator.lamports();
    match token {
        None => {
            require(pubkey_eq(ctx.destination.key(), &treasury), RewardsError::DestinationMismatch)?;
            event.amount = sol_balance(ctx.distributor, rent_reserve);
            if event.amount > 0 {
                move_lamports(ctx.distributor, ctx.destination, event.amount)?;
            }
        }
        Some(token) => {
            // the state stays borrowed (shared) while the distributor signs, read-only
            token.require_recipient(ctx.destination, &treasury)?;
            event.amount = token.balance()?;
            if event.amount > 0 {
                token.pay_out(&distributor, ctx.distributor, ctx.destination, event.amount)?;
            }
            token.close_vault(&distributor, ctx.distributor, ctx.creator)?;
        }
    }
    drop(distributor);
    ctx.distributor.close_to(ctx.creator)?;
    event.rent_returned = ctx.creator.lamports().checked_sub(creator_before).ok_or(ProgramError::ArithmeticOverflow)?;
    event.emit();
    Ok(())
}
