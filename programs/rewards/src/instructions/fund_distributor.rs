//! `fund_distributor`: anyone (usually the authority) deposits rewards: SOL into the distributor
//! account, tokens into its vault.

use super::shared::{sol_balance, token_side};
use crate::errors::RewardsError;
use crate::events::DistributorFunded;
use crate::state::Distributor;
use sdk::cpi::system;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Deposits `amount` of rewards. For a token distributor pass the vault, mint, the funder's
    /// token account and the token program; for SOL pass the program id in their place.
    fund_distributor {
        accounts {
            /// Pays (and, for tokens, owns `funder_token`).
            funder: [writable signer],
            distributor: [writable],
            system_program: [address(system::ID)],
            /// Token distributors: the vault.
            vault: [writable optional],
            /// Token distributors: the mint.
            mint: [optional],
            /// Token distributors: the funder's token account.
            funder_token: [writable optional],
            /// Token distributors: the mint's token program.
            token_program: [optional],
        }
        args {
            amount: u64,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require(args.amount > 0, RewardsError::ZeroAmount)?;
    let now = Clock::now()?;
    let (token, rent_reserve) = {
        let distributor = Distributor::load(ctx.distributor, program_id)?;
        require(!distributor.is_expired(now), RewardsError::DistributorExpired)?;
        (token_side(&distributor, ctx.vault, ctx.mint, ctx.token_program)?, distributor.rent_reserve.get())
    };
    let balance = match (&token, ctx.funder_token) {
        (None, None) => {
            system::transfer(ctx.funder, ctx.distributor, args.amount, &[])?;
            sol_balance(ctx.distributor, rent_reserve)
        }
        (Some(token), Some(from)) => {
            token.deposit(from, ctx.funder, args.amount)?;
            token.balance()?
        }
        _ => return Err(RewardsError::FundingMismatch.into()),
    };
    let mut distributor = Distributor::load_mut(ctx.distributor, program_id)?;
    distributor.total_funded.checked_add_assign(args.amount)?;
    let event = DistributorFunded {
        discriminator: Discriminator::EVENT,
        distributor: *ctx.distributor.key(),
        funder: *ctx.funder.key(),
        amount: args.amount,
        total_funded: distributor.total_funded.get(),
        balance,
    };
    drop(distributor);
    event.emit();
    Ok(())
}

