//! `create_cluster`: a coordinator creates an empty cluster (forming) to assemble nodes into.

use super::shared::{create_program_account, emit};
use crate::errors::ProvenanceError;
use crate::events::ClusterCreated;
use crate::state::{is_label, Cluster, ClusterStatus, EVENT_AUTHORITY};
use sdk::cpi::system;
use sdk::event::Discriminator;
use sdk::error::require;
use sdk::state::{AccountState, Enum, I64};
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Creates a cluster. Its address is a new keypair, which signs once, here; clients name it as
    /// an escrow's provider.
    create_cluster {
        accounts {
            /// Pays the rent (returned at close) and manages the membership.
            authority: [writable signer],
            /// A new keypair: the cluster's address.
            cluster: [writable signer],
            system_program: [address(system::ID)],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            /// Printable ASCII, zero-padded.
            name: &'a [u8; 32],
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require(is_label(args.name), ProvenanceError::InvalidLabel)?;
    let now = Clock::now()?;
    create_program_account(ctx.authority, ctx.cluster, Cluster::LEN)?;
    let mut cluster = Cluster::init(ctx.cluster, program_id)?;
    cluster.authority = *ctx.authority.key();
    cluster.name = *args.name;
    cluster.status = Enum::new(ClusterStatus::Forming);
    cluster.created_at = I64::new(now);
    cluster.updated_at = I64::new(now);
    drop(cluster);

    let event = ClusterCreated { discriminator: Discriminator::EVENT, cluster: *ctx.cluster.key(), authority: *ctx.authority.key(), name: *args.name, created_at: now };
    emit(&event, ctx.event_authority, ctx.program)
}
