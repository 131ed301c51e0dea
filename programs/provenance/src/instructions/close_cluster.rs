//! `close_cluster`: the cluster's authority closes it and takes back its rent. Escrows naming it
//! as provider can no longer be charged through provenance.

use super::shared::{emit, load_cluster_for_authority};
use crate::events::ClusterClosed;
use crate::state::EVENT_AUTHORITY;
use sdk::{AccountView, ProgramResult, Pubkey};
use sdk::event::Discriminator;

sdk::instruction! {
    /// Closes the cluster; its rent goes to the authority.
    close_cluster {
        accounts {
            authority: [writable signer],
            cluster: [writable],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let version = load_cluster_for_authority(ctx.cluster, ctx.authority)?.version.get();
    let rent_returned = ctx.cluster.lamports();
    ctx.cluster.close_to(ctx.authority)?;
    let event = ClusterClosed { discriminator: Discriminator::EVENT, cluster: *ctx.cluster.key(), authority: *ctx.authority.key(), version, rent_returned };
    emit(&event, ctx.event_authority, ctx.program)
}
