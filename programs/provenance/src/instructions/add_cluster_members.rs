//! `add_cluster_members`: the cluster's authority adds active nodes with their payout shares. The
//! cluster is forming until activated again (its payee list changed).

use super::shared::{emit, load_cluster_for_authority, u16_items};
use crate::errors::ProvenanceError;
use crate::events::ClusterMemberAdded;
use crate::state::{Node, NodeStatus, EVENT_AUTHORITY};
use sdk::borsh::Slice;
use sdk::event::Discriminator;
use sdk::error::require;
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

/// Nodes one call may add (one event each; a transaction holds at most 64 instructions).
pub const MAX_NODES_PER_CALL: usize = 32;

sdk::instruction! {
    /// Adds nodes. Remaining accounts: the node accounts, one per share, in order; each must be
    /// active and not yet a member. Its owner is recorded as the payee of its share.
    add_cluster_members {
        accounts {
            authority: [signer],
            cluster: [writable],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            /// Share of each added node, in basis points (the cluster's shares must add up to
            /// 10,000 when it is activated).
            shares: Slice<'a, u16>,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require(args.shares.len() == ctx.remaining.len() && !args.shares.is_empty(), ProvenanceError::SharesMismatch)?;
    require(args.shares.len() <= MAX_NODES_PER_CALL, ProvenanceError::TooManyNodes)?;
    let now = Clock::now()?;
    let mut cluster = load_cluster_for_authority(ctx.cluster, ctx.authority)?;
    for (node, share) in ctx.remaining.iter().zip(u16_items(&args.shares)) {
        let owner = {
            let n = Node::load(node, program_id)?;
            require(n.status.tag() == NodeStatus::Active as u8, ProvenanceError::NodeNotActive)?;
            n.owner
        };
        cluster.add(node.key(), &owner, share, now)?;
        let event = ClusterMemberAdded {
            discriminator: Discriminator::EVENT,
            cluster: *ctx.cluster.key(),
            node: *node.key(),
            owner,
            share_bps: share,
            member_count: cluster.member_count,
            version: cluster.version.get(),
            updated_at: now,
        };
        // the event's self-invocation passes only the event authority and this program: the
        // cluster's borrow can stay
        emit(&event, ctx.event_authority, ctx.program)?;
    }
    Ok(())
}
