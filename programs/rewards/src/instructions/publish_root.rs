//! `publish_root`: the authority installs an epoch's merkle root of cumulative entitlements, with
//! the guards every later claim is held to.

use super::shared::require_key;
use crate::errors::RewardsError;
use crate::events::RootPublished;
use crate::state::Distributor;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Publishes the root of `epoch`.
    publish_root {
        accounts {
            authority: [signer],
            distributor: [writable],
        }
        args {
            /// Greater than the current epoch.
            epoch: u64,
            /// Root over every supplier's (distributor, supplier, cumulative amount) leaf.
            root: &'a [u8; 32],
            /// Sum of the leaves' cumulative amounts: the most ever claimable under this root.
            max_total_claim: u64,
            /// Number of leaves: the most suppliers that may ever have claimed.
            max_num_nodes: u64,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let now = Clock::now()?;
    let mut distributor = Distributor::load_mut(ctx.distributor, program_id)?;
    require_key(ctx.authority, &distributor.authority, RewardsError::NotAuthority)?;
    let publication = distributor.publish(now, args.epoch, args.root, args.max_total_claim, args.max_num_nodes)?;
    RootPublished { discriminator: Discriminator::EVENT, distributor: *ctx.distributor.key(), previous_epoch: publication.previous_epoch, state: *distributor }.emit();
    Ok(())
}
