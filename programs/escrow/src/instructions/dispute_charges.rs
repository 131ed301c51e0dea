//! `dispute_charges`: the client disputes part of a bucket inside its challenge window, naming
//! the usage reference (an inference record or batch root) it contests. The arbiter decides.

use super::shared::require_client;
use crate::events::ChargesDisputed;
use crate::state::Escrow;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Freezes `amount` of the bucket of `window` until the arbiter resolves it.
    dispute_charges {
        accounts {
            client: [signer],
            escrow: [writable],
        }
        args {
            window: i64,
            amount: u64,
            /// The contested charge's usage reference (for the arbiter and the indexer).
            usage_ref: &'a [u8; 32],
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let now = Clock::now()?;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    require_client(&escrow, ctx.client)?;
    let bucket_disputed = escrow.dispute(now, args.window, args.amount)?;
    let event = ChargesDisputed {
        discriminator: Discriminator::EVENT,
        escrow: *ctx.escrow.key(),
        client: *ctx.client.key(),
        window: args.window,
        amount: args.amount,
        usage_ref: *args.usage_ref,
        bucket_disputed,
        pending: escrow.pending.get(),
    };
    drop(escrow);
    event.emit();
    Ok(())
}
