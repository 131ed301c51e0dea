//! `resolve_dispute`: the config's arbiter splits a disputed amount between provider and client.

use super::shared::{load_config, require_key};
use crate::errors::EscrowError;
use crate::events::DisputeResolved;
use crate::state::Escrow;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Gives `to_provider` of the disputed amount to the provider (it matures) and the rest back
    /// to the client's available funds.
    resolve_dispute {
        accounts {
            arbiter: [signer],
            config: [],
            escrow: [writable],
        }
        args {
            window: i64,
            to_provider: u64,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require_key(ctx.arbiter, &load_config(ctx.config, program_id)?.arbiter, EscrowError::NotArbiter)?;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    let (to_provider, to_client) = escrow.resolve(args.window, args.to_provider)?;
    let event = DisputeResolved {
        discriminator: Discriminator::EVENT,
        escrow: *ctx.escrow.key(),
        arbiter: *ctx.arbiter.key(),
        window: args.window,
        to_provider,
        to_client,
        pending: escrow.pending.get(),
        matured: escrow.matured.get(),
        available: escrow.available()?,
    };
    drop(escrow);
    event.emit();
    Ok(())
}
