//! `close_batch_log`: the node's owner closes its batch log once no batch in it can still be
//! disputed, and takes back the rent. The node may open a new one after.

use super::shared::{emit, load_batch_log_mut, load_node_for_owner};
use crate::errors::ProvenanceError;
use crate::events::BatchLogClosed;
use crate::state::{BatchLog, EVENT_AUTHORITY};
use sdk::error::require;
use sdk::event::Discriminator;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Closes the batch log of `node`; its rent goes to the owner.
    close_batch_log {
        accounts {
            owner: [writable signer],
            node: [writable],
            batch_log: [writable],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let now = Clock::now()?;
    let mut node = load_node_for_owner(ctx.node, ctx.owner)?;
    {
        let data = load_batch_log_mut(ctx.batch_log, ctx.node.key())?;
        let (_, entries) = BatchLog::view(&data)?;
        require(entries.iter().all(|e| e.expires_at.get() <= now), ProvenanceError::BatchLogInUse)?;
    }
    node.batch_log = [0; 32];
    drop(node);
    let rent_returned = ctx.batch_log.lamports();
    ctx.batch_log.close_to(ctx.owner)?;

    let event = BatchLogClosed { discriminator: Discriminator::EVENT, batch_log: *ctx.batch_log.key(), node: *ctx.node.key(), owner: *ctx.owner.key(), rent_returned };
    emit(&event, ctx.event_authority, ctx.program)
}
