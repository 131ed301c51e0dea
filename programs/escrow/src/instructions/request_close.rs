//! `request_close`: the client gives notice. Meters may charge for one more challenge window
//! (work already done gets paid); from then on the client may take back what is left.

use super::shared::require_client;
use crate::errors::EscrowError;
use crate::events::CloseRequested;
use crate::state::Escrow;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Ends the escrow one challenge window from now (or at expiry, if sooner).
    request_close {
        accounts {
            client: [signer],
            escrow: [writable],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let now = Clock::now()?;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    require_client(&escrow, ctx.client)?;
    require(escrow.closing_at.get() == 0, EscrowError::AlreadyClosing)?;
    let closing_at = now.checked_add(escrow.challenge_window.get()).ok_or(ProgramError::ArithmeticOverflow)?;
    escrow.closing_at.set(closing_at);
    let event = CloseRequested { discriminator: Discriminator::EVENT, escrow: *ctx.escrow.key(), client: *ctx.client.key(), closing_at: escrow.ends_at() };
    drop(escrow);
    event.emit();
    Ok(())
}
