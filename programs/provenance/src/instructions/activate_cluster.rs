//! `activate_cluster`: the cluster's authority sets every member's share, the program validates
//! members and shares, and fixes the payee list escrows for the cluster must pay. Records against
//! the cluster are accepted from then on, until its membership changes.

use super::shared::{emit_plain, load_cluster_for_authority, u16_items};
use crate::events::ClusterActivated;
use crate::state::{ClusterStatus, PayeeList, EVENT_AUTHORITY};
use sdk::borsh::{BorshSize, Slice};
use sdk::event::{Discriminator, Event};
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
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
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
    let now = Clock::now()?;
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
        discriminator: Discriminator::EVENT,
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
    emit_activated(&event, ctx.event_authority, ctx.program)
}

/// Emits `ClusterActivated`, encoded here rather than by the SDK's generic encoder: its two vectors
/// are borsh bytes already (the `shares` argument, the payee list the hash covers), so ten copies
/// make the event (checked against the generic encoder in the tests below).
#[inline(never)]
fn emit_activated(event: &ClusterActivated, event_authority: &AccountView, program: &AccountView) -> ProgramResult {
    let mut buf = [0u8; 8 + <ClusterActivated as BorshSize>::SIZE];
    let len = encode(event, &mut buf)?;
    emit_plain(buf.get(..len).ok_or(ProgramError::InvalidArgument)?, event_authority, program)
}

/// Writes the discriminator and borsh of `event` into `buf`; returns its length.
fn encode(event: &ClusterActivated, buf: &mut [u8]) -> Result<usize, ProgramError> {
    let (shares, payees, version, updated_at) = (event.shares, event.payees, event.version, event.updated_at);
    // vector lengths are at most 64 (checked against the member count)
    let parts: [&[u8]; 11] = [
        &ClusterActivated::DISCRIMINATOR,
        &event.cluster,
        &event.authority,
        &[event.member_count],
        &(shares.len() as u32).to_le_bytes(),
        shares.item_bytes(),
        &(payees.len() as u32).to_le_bytes(),
        payees.item_bytes(),
        &event.payees_hash,
        &version.to_le_bytes(),
        &updated_at.to_le_bytes(),
    ];
    let mut len = 0usize;
    for part in parts {
        let end = len.checked_add(part.len()).ok_or(ProgramError::InvalidArgument)?;
        buf.get_mut(len..end).ok_or(ProgramError::InvalidArgument)?.copy_from_slice(part);
        len = end;
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sdk::borsh::{BorshWrite, Writer};

    #[test]
    fn the_hand_encoding_is_the_generic_one() {
        let shares: std::vec::Vec<u8> = (0..20u16).flat_map(|i| (500 + i).to_le_bytes()).collect();
        let payees: std::vec::Vec<u8> = (0..7u8).flat_map(|i| [[i + 1; 32].as_slice(), &(1_000 + u16::from(i)).to_le_bytes()].concat()).collect();
        let event = ClusterActivated {
            discriminator: Discriminator::EVENT,
            cluster: [1; 32],
            authority: [2; 32],
            member_count: 20,
            shares: Slice::from_item_bytes(&shares).unwrap(),
            payees: Slice::from_item_bytes(&payees).unwrap(),
            payees_hash: [3; 32],
            version: 0x0405_0607,
            updated_at: -0x0102_0304_0506_0708,
        };
        let mut expected = [0u8; 8 + <ClusterActivated as BorshSize>::SIZE];
        let mut w = Writer::new(&mut expected);
        w.put(&ClusterActivated::DISCRIMINATOR);
        event.write(&mut w);
        let n = w.len();
        let mut buf = [0u8; 8 + <ClusterActivated as BorshSize>::SIZE];
        assert_eq!(encode(&event, &mut buf), Ok(n));
        assert_eq!(buf[..n], expected[..n]);
        assert_eq!(n, 8 + 32 + 32 + 1 + 4 + 40 + 4 + 7 * 34 + 32 + 4 + 8);
    }
}
