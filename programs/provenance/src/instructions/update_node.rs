//! `update_node`: the owner rotates the node's authority (the worker key) or changes its hardware.

use super::shared::{check_node_args, emit, load_node_for_owner};
use crate::errors::ProvenanceError;
use crate::events::NodeUpdated;
use crate::state::{Hardware, NodeStatus, EVENT_AUTHORITY};
use sdk::error::require;
use sdk::event::Discriminator;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Sets the node's authority and hardware (a retired node stays as it was).
    update_node {
        accounts {
            owner: [signer],
            node: [writable],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            /// The worker's signing key from now on (records signed by the old one are refused).
            authority: Pubkey,
            hardware: &'a Hardware,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    check_node_args(&args.authority, args.hardware)?;
    let now = Clock::now()?;
    let mut node = load_node_for_owner(ctx.node, ctx.owner)?;
    require(node.status.tag() != NodeStatus::Retired as u8, ProvenanceError::NodeRetired)?;
    node.authority = args.authority;
    node.hardware = *args.hardware;
    node.updated_at.set(now);
    drop(node);

    let event = NodeUpdated { discriminator: Discriminator::EVENT, node: *ctx.node.key(), owner: *ctx.owner.key(), authority: args.authority, hardware: *args.hardware, updated_at: now };
    emit(&event, ctx.event_authority, ctx.program)
}
