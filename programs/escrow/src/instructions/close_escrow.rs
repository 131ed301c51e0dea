//! `close_escrow`: once nothing is held (refunded, settled, no pending charges), the client
//! closes the escrow and gets its rent back. The closed account cannot be revived: it returns to
//! the system program with no data.

use super::shared::require_client;
use crate::errors::EscrowError;
use crate::events::EscrowClosed;
use crate::state::Escrow;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Closes an empty escrow, returning its rent to the client.
    close_escrow {
        accounts {
            client: [writable signer],
            escrow: [writable],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let event = {
        let escrow = Escrow::load(ctx.escrow, program_id)?;
        require_client(&escrow, ctx.client)?;
        require(escrow.held()? == 0, EscrowError::EscrowNotEmpty)?;
        EscrowClosed {
            discriminator: Discriminator::EVENT,
            escrow: *ctx.escrow.key(),
            client: escrow.client,
            deposited: escrow.deposited.get(),
            settled: escrow.settled.get(),
            fees: escrow.fees.get(),
            refunded: escrow.refunded.get(),
            rent_returned: ctx.escrow.lamports(),
        }
    };
    ctx.escrow.close_to(ctx.client)?;
    event.emit();
    Ok(())
}
