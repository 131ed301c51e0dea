//! `propose_authority`: first step of the two-step authority transfer (zero cancels a nomination).

use super::shared::require_key;
use crate::errors::RewardsError;
use crate::events::AuthorityProposed;
use crate::state::Distributor;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Nominates the next authority; it takes over when it calls `accept_authority`.
    propose_authority {
        accounts {
            authority: [signer],
            distributor: [writable],
        }
        args {
            new_authority: &'a Pubkey,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let mut distributor = Distributor::load_mut(ctx.distributor, program_id)?;
    require_key(ctx.authority, &distributor.authority, RewardsError::NotAuthority)?;
    distributor.pending_authority = *args.new_authority;
    AuthorityProposed { discriminator: Discriminator::EVENT, distributor: *ctx.distributor.key(), state: *distributor }.emit();
    Ok(())
}
