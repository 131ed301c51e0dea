//! `accept_authority`: second step of the authority transfer, signed by the nominee.

use super::shared::require_key;
use crate::errors::RewardsError;
use crate::events::AuthorityAccepted;
use crate::state::Distributor;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// The nominated authority takes over.
    accept_authority {
        accounts {
            new_authority: [signer],
            distributor: [writable],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let mut distributor = Distributor::load_mut(ctx.distributor, program_id)?;
    // a zero pending authority can never sign, so no nomination means no acceptance
    require_key(ctx.new_authority, &distributor.pending_authority, RewardsError::NotPendingAuthority)?;
    let previous_authority = distributor.authority;
    distributor.authority = distributor.pending_authority;
    distributor.pending_authority = [0; 32];
    AuthorityAccepted { discriminator: Discriminator::EVENT, distributor: *ctx.distributor.key(), previous_authority, state: *distributor }.emit();
    Ok(())
}
