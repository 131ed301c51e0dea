//! `grow_batch_log`: adds slots to a node's batch log when every slot still holds a disputable
//! batch. The new slots come next in the ring.

use super::shared::{emit, load_batch_log_mut, require_node_operator};
use crate::errors::ProvenanceError;
use crate::events::BatchLogGrown;
use crate::state::{BatchLog, EVENT_AUTHORITY, MAX_LOG_GROWTH};
use sdk::cpi::system;
use sdk::event::Discriminator;
use sdk::error::require;
use sdk::sysvars::Rent;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Grows the batch log of `node` by `additional` slots.
    grow_batch_log {
        accounts {
            /// The node's owner or authority; pays the extra rent.
            payer: [writable signer],
            node: [],
            batch_log: [writable],
            system_program: [address(system::ID)],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            /// Slots to add (1 to 250).
            additional: u32,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require((1..=MAX_LOG_GROWTH).contains(&args.additional), ProvenanceError::InvalidCapacity)?;
    require_node_operator(ctx.node, ctx.payer)?;
    let old_len = load_batch_log_mut(ctx.batch_log, ctx.node.key())?.len();
    let added = (args.additional as usize).checked_mul(BatchLog::ENTRY_LEN).ok_or(ProgramError::ArithmeticOverflow)?;
    let new_len = old_len.checked_add(added).ok_or(ProgramError::ArithmeticOverflow)?;
    let required = Rent::exempt_minimum(new_len)?;
    if let Some(top_up) = required.checked_sub(ctx.batch_log.lamports()).filter(|t| *t > 0) {
        system::transfer(ctx.payer, ctx.batch_log, top_up, &[])?;
    }
    ctx.batch_log.resize(new_len)?;
    let capacity = {
        let mut data = ctx.batch_log.try_borrow_mut_data()?;
        BatchLog::make_room(&mut data, args.additional)?
    };

    let event = BatchLogGrown { discriminator: Discriminator::EVENT, batch_log: *ctx.batch_log.key(), node: *ctx.node.key(), payer: *ctx.payer.key(), capacity };
    emit(&event, ctx.event_authority, ctx.program)
}
