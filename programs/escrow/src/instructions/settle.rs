//! `settle`: anyone pays out an escrow's matured charges: the protocol fee to the treasury's
//! earnings, the rest to each payee's earnings by share. Suppliers then withdraw on their own.

use super::shared::{load_config, move_lamports};
use crate::errors::EscrowError;
use crate::events::{EarningsCredited, EscrowSettled};
use crate::state::{Earnings, Escrow, Payee, SOL_MINT, TOTAL_SHARE_BPS};
use sdk::borsh::Slice;
use sdk::error::require;
use sdk::event::Event;
use sdk::pubkey::pubkey_eq;
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Pays out matured charges. Remaining accounts: each payee's earnings account for the
    /// escrow's mint, in payee order.
    settle {
        accounts {
            escrow: [writable],
            config: [],
            /// The treasury's earnings account for the escrow's mint.
            treasury_earnings: [writable],
        }
        args {
            /// The payee list fixed at open (checked against its hash).
            payees: Slice<'a, Payee>,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let treasury = load_config(ctx.config, program_id)?.treasury;
    let now = Clock::get()?.unix_timestamp;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    require(args.payees.hash() == escrow.payees_hash, EscrowError::PayeesMismatch)?;
    require(ctx.remaining.len() >= args.payees.len(), EscrowError::PayeesMismatch)?;
    escrow.mature(now, None)?;
    let amount = escrow.matured.get();
    require(amount > 0, EscrowError::NothingToSettle)?;
    let fee = share_of(amount, escrow.fee_bps.get())?;
    let to_payees = amount.checked_sub(fee).ok_or(ProgramError::ArithmeticOverflow)?;
    let mint = escrow.mint;
    let is_sol = pubkey_eq(&mint, &SOL_MINT);
    let escrow_key = *ctx.escrow.key();

    credit(program_id, ctx.treasury_earnings, &treasury, &mint, &escrow_key, fee)?;
    if is_sol {
        move_lamports(ctx.escrow, ctx.treasury_earnings, fee)?;
    }
    let mut paid = 0u64;
    let last = args.payees.len().saturating_sub(1);
    for (i, (payee, earnings)) in args.payees.iter().zip(ctx.remaining.iter()).enumerate() {
        // rounding dust goes to the last payee, so the whole amount is always paid out
        let part = if i == last { to_payees.checked_sub(paid).ok_or(ProgramError::ArithmeticOverflow)? } else { share_of(to_payees, payee.share_bps)? };
        paid = paid.checked_add(part).ok_or(ProgramError::ArithmeticOverflow)?;
        credit(program_id, earnings, &payee.owner, &mint, &escrow_key, part)?;
        if is_sol {
            move_lamports(ctx.escrow, earnings, part)?;
        }
    }

    escrow.matured.set(0);
    escrow.settled.checked_add_assign(to_payees)?;
    escrow.fees.checked_add_assign(fee)?;
    let event = EscrowSettled {
        escrow: escrow_key,
        mint,
        amount,
        fee,
        treasury,
        settled: escrow.settled.get(),
        fees: escrow.fees.get(),
        pending: escrow.pending.get(),
        available: escrow.available()?,
    };
    drop(escrow);
    event.emit();
    Ok(())
}

/// `amount * bps / 10,000`, rounded down.
fn share_of(amount: u64, bps: u16) -> Result<u64, ProgramError> {
    let part = (amount as u128).checked_mul(bps as u128).ok_or(ProgramError::ArithmeticOverflow)? / TOTAL_SHARE_BPS as u128;
    u64::try_from(part).map_err(|_| ProgramError::ArithmeticOverflow)
}

/// Credits `amount` to the earnings account of `owner` in `mint` and emits the event.
fn credit(program_id: &Pubkey, account: &AccountView, owner: &Pubkey, mint: &Pubkey, escrow: &Pubkey, amount: u64) -> ProgramResult {
    let mut earnings = Earnings::load_mut(account, program_id)?;
    require(pubkey_eq(&earnings.owner, owner) && pubkey_eq(&earnings.mint, mint), EscrowError::EarningsMismatch)?;
    earnings.balance.checked_add_assign(amount)?;
    earnings.total_earned.checked_add_assign(amount)?;
    let event = EarningsCredited {
        earnings: *account.key(),
        owner: *owner,
        mint: *mint,
        escrow: *escrow,
        amount,
        balance: earnings.balance.get(),
        total_earned: earnings.total_earned.get(),
    };
    drop(earnings);
    event.emit();
    Ok(())
}
