//! `approve_charges`: the client approves a bucket before its window ends, so it can settle now.

use super::shared::require_client;
use crate::events::ChargesApproved;
use crate::state::Escrow;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Matures the undisputed part of the bucket of `window` now.
    approve_charges {
        accounts {
            client: [signer],
            escrow: [writable],
        }
        args {
            window: i64,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let now = Clock::now()?;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    require_client(&escrow, ctx.client)?;
    // fails with UnknownBucket when nothing is pending for that window
    escrow.bucket_index(args.window)?;
    let amount = escrow.mature(now, Some(args.window))?;
    let event = ChargesApproved {
        discriminator: Discriminator::EVENT,
        escrow: *ctx.escrow.key(),
        client: *ctx.client.key(),
        window: args.window,
        amount,
        pending: escrow.pending.get(),
        matured: escrow.matured.get(),
    };
    drop(escrow);
    event.emit();
    Ok(())
}
