//! `charge`: a meter charges usage. The charge goes into the pending bucket of the current
//! challenge window; it matures when the window has passed undisputed.

use super::shared::load_config;
use crate::errors::EscrowError;
use crate::events::ChargeRecorded;
use crate::state::Escrow;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::pubkey::pubkey_eq;
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Charges `amount` for `units` of usage, referenced by the hash of its record.
    charge {
        accounts {
            /// The provider's meter, or the program meter the client authorised (a PDA signing
            /// through CPI).
            meter: [signer],
            escrow: [writable],
            config: [],
        }
        args {
            units: u64,
            amount: u64,
            /// Hash of the inference record or batch root this charge is for.
            usage_ref: &'a [u8; 32],
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require(!load_config(ctx.config, program_id)?.paused.get(), EscrowError::Paused)?;
    let now = Clock::now()?;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    let meter = ctx.meter.key();
    // a zero program meter can never sign, so "none" needs no special case
    require(pubkey_eq(meter, &escrow.provider_meter) || pubkey_eq(meter, &escrow.program_meter), EscrowError::NotMeter)?;
    let matured_before = escrow.matured.get();
    let outcome = escrow.charge(now, args.units, args.amount, args.usage_ref)?;
    let event = ChargeRecorded {
        discriminator: Discriminator::EVENT,
        escrow: *ctx.escrow.key(),
        meter: *meter,
        window: outcome.window,
        units: args.units,
        amount: args.amount,
        usage_ref: *args.usage_ref,
        bucket_amount: outcome.bucket_amount,
        usage_chain: outcome.usage_chain,
        matured_now: escrow.matured.get().saturating_sub(matured_before),
        pending: escrow.pending.get(),
        matured: escrow.matured.get(),
        available: escrow.available()?,
        charge_count: escrow.charge_count.get(),
    };
    drop(escrow);
    event.emit();
    Ok(())
}
