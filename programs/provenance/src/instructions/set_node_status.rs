//! `set_node_status`: the owner pauses, resumes or retires the node.

use super::shared::{emit, load_node_for_owner};
use crate::errors::ProvenanceError;
use crate::events::NodeStatusChanged;
use crate::state::{NodeStatus, EVENT_AUTHORITY};
use sdk::error::require;
use sdk::event::Discriminator;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Moves the node to `status`: an active node may be paused (it records nothing and joins no
    /// cluster until resumed), a paused one resumed, and either retired, for good.
    set_node_status {
        accounts {
            owner: [signer],
            node: [writable],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            status: NodeStatus,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let now = Clock::now()?;
    let mut node = load_node_for_owner(ctx.node, ctx.owner)?;
    let previous = node.status.get()?;
    require(NodeStatus::may_change(previous, args.status), ProvenanceError::InvalidStatusChange)?;
    node.status.set(args.status);
    node.updated_at.set(now);
    drop(node);

    let event = NodeStatusChanged { discriminator: Discriminator::EVENT, node: *ctx.node.key(), owner: *ctx.owner.key(), previous, status: args.status, updated_at: now };
    emit(&event, ctx.event_authority, ctx.program)
}
