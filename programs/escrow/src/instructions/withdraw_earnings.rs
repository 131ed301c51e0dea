//! `withdraw_earnings`: a supplier (or the treasury) takes its earnings, without the client and
//! even while the protocol is paused.

use super::shared::{require_key, token_side};
use sdk::account::move_lamports;
use crate::errors::EscrowError;
use crate::events::EarningsWithdrawn;
use crate::state::Earnings;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Withdraws `amount` of earnings to `destination` (a wallet for SOL, a token account for a
    /// token).
    withdraw_earnings {
        accounts {
            owner: [signer],
            earnings: [writable],
            destination: [writable],
            mint_vault: [optional],
            vault: [writable optional],
            mint: [optional],
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
    require(args.amount > 0, EscrowError::ZeroAmount)?;
    let mut earnings = Earnings::load_mut(ctx.earnings, program_id)?;
    require_key(ctx.owner, &earnings.owner, EscrowError::NotEarningsOwner)?;
    require(args.amount <= earnings.balance.get(), EscrowError::InsufficientEarnings)?;
    earnings.balance.checked_sub_assign(args.amount)?;
    // a lifetime statistic: saturating, so reaching u64::MAX never blocks a withdrawal
    let total_withdrawn = earnings.total_withdrawn.get().saturating_add(args.amount);
    earnings.total_withdrawn.set(total_withdrawn);
    let mint = earnings.mint;
    let event = EarningsWithdrawn {
        discriminator: Discriminator::EVENT,
        earnings: *ctx.earnings.key(),
        owner: earnings.owner,
        mint,
        destination: *ctx.destination.key(),
        amount: args.amount,
        balance: earnings.balance.get(),
        total_withdrawn: earnings.total_withdrawn.get(),
    };
    drop(earnings);
    match token_side(program_id, &mint, [ctx.mint_vault, ctx.vault, ctx.mint, ctx.token_program])? {
        None => move_lamports(ctx.earnings, ctx.destination, args.amount)?,
        Some(token) => token.pay_out(ctx.destination, args.amount)?,
    }
    event.emit();
    Ok(())
}
