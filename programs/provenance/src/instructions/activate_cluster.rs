//! `activate_cluster`: the cluster's authority sets every member's share, the program validates
//! members and shares, and fixes the payee list escrows for the cluster must pay. Records against
//! the cluster are accepted from then on, until its membership changes.

use super::shared::{emit, load_cluster_for_authority, u16_items};
use crate::events::ClusterActivated;
use crate::state::{ClusterStatus, PayeeList, EVENT_AUTHORITY};
use sdk::borsh::Slice;
use sdk::hash::sha256;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Sets the shares and activates the cluster: 16 to 64 members, every share positive, shares
    /// adding up to 10,000 bps. Its payee list (owners ascending, shares summed per owner) is in
    /// the event: clients open escrows for the cluster with exactly that list.
    activate_cluster {
        accounts {
            authority: [signer],
            cluster: [writable],
            event_authority: [address(EVENT_AUTHORITY)],
            program: [address(crate::ID)],
        }
        args {
            /// One share per member, in member order, basis points.
            shares: Slice<'a, u16>,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let now = Clock::get()?.unix_timestamp;
    // SAFETY: PayeeList is Pod: all-zero bytes are a valid (empty) list.
    let mut payees: PayeeList = unsafe { core::mem::zeroed() };
    let mut cluster = load_cluster_for_authority(ctx.cluster, ctx.authority)?;
    cluster.set_shares(u16_items(&args.shares), args.shares.len(), now)?;
    cluster.payees(&mut payees)?;
    let encoded = payees.bytes();
    let payees_hash = sha256(&[encoded]);
    cluster.status.set(ClusterStatus::Active);
    cluster.payees_hash = payees_hash;
    cluster.payee_count = payees.count.get() as u8;
    let (member_count, version, authority) = (cluster.member_count, cluster.version.get(), cluster.authority);
    drop(cluster);

    let event = ClusterActivated {
        cluster: *ctx.cluster.key(),
        authority,
        member_count,
        shares: args.shares,
        // the list's items, after its 4-byte count (whole payees: never None)
        payees: Slice::from_item_bytes(&encoded[4..]).ok_or(ProgramError::InvalidAccountData)?,
        payees_hash,
        version,
        updated_at: now,
    };
    emit(&event, ctx.event_authority, ctx.program)
}
