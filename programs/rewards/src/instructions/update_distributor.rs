//! `update_distributor`: the authority changes the treasury, extends the expiry, or pauses and
//! resumes claims.

use super::shared::require_key;
use crate::errors::RewardsError;
use crate::events::DistributorUpdated;
use crate::state::Distributor;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::pubkey::pubkey_eq;
use sdk::state::{AccountState, Bool, I64};
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Sets the treasury, the expiry (never earlier than now or than the current one) and the pause.
    update_distributor {
        accounts {
            authority: [signer],
            distributor: [writable],
        }
        args {
            treasury: &'a Pubkey,
            expires_at: i64,
            paused: bool,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let now = Clock::now()?;
    let mut distributor = Distributor::load_mut(ctx.distributor, program_id)?;
    require_key(ctx.authority, &distributor.authority, RewardsError::NotAuthority)?;
    require(!pubkey_eq(args.treasury, &[0; 32]), RewardsError::InvalidAddress)?;
    // suppliers count on the announced expiry: it can move later, never earlier, and an expired
    // distributor stays expired (anyone may already be clawing it back)
    require(!distributor.is_expired(now) && args.expires_at >= distributor.expires_at.get(), RewardsError::InvalidExpiry)?;
    distributor.treasury = *args.treasury;
    distributor.expires_at = I64::new(args.expires_at);
    distributor.paused = Bool::new(args.paused);
    DistributorUpdated { discriminator: Discriminator::EVENT, distributor: *ctx.distributor.key(), state: *distributor }.emit();
    Ok(())
}
