//! `settle`: anyone pays out an escrow's matured charges: the protocol fee to the treasury's
//! earnings, the rest to each payee's earnings by share. Suppliers then withdraw on their own.

use super::shared::load_config;
use sdk::account::move_lamports;
use crate::errors::EscrowError;
use crate::events::EscrowSettled;
use crate::state::{EarningsCredit, Earnings, Escrow, Payee, MAX_PAYEES, SOL_MINT, TOTAL_SHARE_BPS};
use sdk::borsh::Slice;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::pubkey::pubkey_eq;
use sdk::state::{AccountState, U64};
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
    let now = Clock::now()?;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    require(pubkey_eq(&args.payees.hash(), &escrow.payees_hash), EscrowError::PayeesMismatch)?;
    require(ctx.remaining.len() >= args.payees.len(), EscrowError::PayeesMismatch)?;
    escrow.mature(now, None)?;
    let amount = escrow.matured.get();
    require(amount > 0, EscrowError::NothingToSettle)?;
    let fee = share_of(amount, escrow.fee_bps.get())?;
    let to_payees = amount.checked_sub(fee).ok_or(ProgramError::ArithmeticOverflow)?;
    escrow.matured.set(0);
    escrow.settled.checked_add_assign(to_payees)?;
    escrow.fees.checked_add_assign(fee)?;
    let settlement = Settlement {
        program_id,
        escrow: ctx.escrow,
        mint: escrow.mint,
        amount,
        fee,
        to_payees,
        settled: escrow.settled.get(),
        fees: escrow.fees.get(),
        pending: escrow.pending.get(),
        available: escrow.available()?,
    };
    drop(escrow);
    let treasury_credit = credit(&settlement, ctx.treasury_earnings, &treasury, fee)?;
    pay_payees(&settlement, treasury_credit, &args.payees, ctx.remaining)
}

/// What a settlement pays, computed before the earnings accounts are touched.
struct Settlement<'a> {
    program_id: &'a Pubkey,
    escrow: &'a AccountView,
    mint: Pubkey,
    amount: u64,
    fee: u64,
    to_payees: u64,
    settled: u64,
    fees: u64,
    pending: u64,
    available: u64,
}

/// Credits each payee by share and emits the settlement with every credit. A function of its own:
/// the credits' buffer (up to 64 payees) gets a stack frame of its own.
#[inline(never)]
fn pay_payees(s: &Settlement, treasury: EarningsCredit, payees: &Slice<Payee>, earnings: &[AccountView]) -> ProgramResult {
    // SAFETY: EarningsCredit is Pod: all-zero bytes are a valid value.
    let mut buf: [EarningsCredit; MAX_PAYEES] = unsafe { core::mem::zeroed() };
    let mut paid = 0u64;
    let mut count = 0;
    let last = payees.len().saturating_sub(1);
    for (i, ((payee, account), slot)) in payees.items().iter().zip(earnings.iter()).zip(buf.iter_mut()).enumerate() {
        // rounding dust goes to the last payee, so the whole amount is always paid out
        let part = if i == last { s.to_payees.checked_sub(paid).ok_or(ProgramError::ArithmeticOverflow)? } else { share_of(s.to_payees, payee.share_bps.get())? };
        paid = paid.checked_add(part).ok_or(ProgramError::ArithmeticOverflow)?;
        *slot = credit(s, account, &payee.owner, part)?;
        count = i.saturating_add(1);
    }
    let credits = Slice::from_items(buf.get(..count).unwrap_or_default());
    EscrowSettled {
        discriminator: Discriminator::EVENT,
        escrow: *s.escrow.key(),
        mint: s.mint,
        amount: s.amount,
        fee: s.fee,
        treasury,
        payees: credits,
        settled: s.settled,
        fees: s.fees,
        pending: s.pending,
        available: s.available,
    }
    .emit();
    Ok(())
}

/// `amount * bps / 10,000`, rounded down.
fn share_of(amount: u64, bps: u16) -> Result<u64, ProgramError> {
    sdk::math::share(amount, bps as u64, TOTAL_SHARE_BPS as u64).ok_or(ProgramError::ArithmeticOverflow)
}

/// Credits `amount` to the earnings account of `owner` in the settlement's mint (moving the
/// lamports too for SOL) and returns the credit for the event.
fn credit(s: &Settlement, account: &AccountView, owner: &Pubkey, amount: u64) -> Result<EarningsCredit, ProgramError> {
    let balance = {
        let mut earnings = Earnings::load_mut(account, s.program_id)?;
        require(pubkey_eq(&earnings.owner, owner) && pubkey_eq(&earnings.mint, &s.mint), EscrowError::EarningsMismatch)?;
        earnings.balance.checked_add_assign(amount)?;
        // a lifetime statistic: saturating, so reaching u64::MAX never blocks settlement
        let total_earned = earnings.total_earned.get().saturating_add(amount);
        earnings.total_earned.set(total_earned);
        earnings.balance.get()
    };
    if pubkey_eq(&s.mint, &SOL_MINT) {
        move_lamports(s.escrow, account, amount)?;
    }
    Ok(EarningsCredit { owner: *owner, amount: U64::new(amount), balance: U64::new(balance) })
}
