//! `remove_cluster_member`: the cluster's authority removes a node (any status, even retired). The
//! cluster is forming until activated again with shares that add up.

use super::shared::{emit, load_cluster_for_authority};
use crate::errors::ProvenanceError;
use crate::events::ClusterMemberRemoved;
use crate::state::EVENT_AUTHORITY;
use sdk::sysvars::Clock;
use sdk::event::Discriminator;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Removes `node` from the cluster; the other members keep their order.
    remove_cluster_member {
        accounts {
            authority: [signer],
            cluster: [writable],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            node: Pubkey,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let now = Clock::now()?;
    let mut cluster = load_cluster_for_authority(ctx.cluster, ctx.authority)?;
    let i = cluster.position(&args.node).ok_or_else(|| ProgramError::from(ProvenanceError::NotClusterMember))?;
    // the event takes the member from the cluster before it goes (no copy of it in between)
    let member = cluster.members().get(i).ok_or_else(|| ProgramError::from(ProvenanceError::NotClusterMember))?;
    let mut event = ClusterMemberRemoved {
        discriminator: Discriminator::EVENT,
        cluster: *ctx.cluster.key(),
        node: member.node,
        owner: member.owner,
        share_bps: member.share_bps.get(),
        member_count: 0,
        version: 0,
        updated_at: now,
    };
    cluster.remove_at(i, now)?;
    event.member_count = cluster.member_count;
    event.version = cluster.version.get();
    drop(cluster);
    emit(&event, ctx.event_authority, ctx.program)
}
