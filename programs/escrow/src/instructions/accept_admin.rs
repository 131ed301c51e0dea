//! `accept_admin`: second step of the admin transfer, signed by the nominee.

use super::shared::require_key;
use crate::errors::EscrowError;
use crate::events::AdminAccepted;
use crate::state::Config;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// The nominated admin takes over.
    accept_admin {
        accounts {
            new_admin: [signer],
            config: [writable],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let mut config = Config::load_mut(ctx.config, program_id)?;
    // a zero pending admin can never sign, so no nomination means no acceptance
    require_key(ctx.new_admin, &config.pending_admin, EscrowError::NotPendingAdmin)?;
    let previous_admin = config.admin;
    config.admin = config.pending_admin;
    config.pending_admin = [0; 32];
    drop(config);
    AdminAccepted { discriminator: Discriminator::EVENT, config: *ctx.config.key(), previous_admin, admin: *ctx.new_admin.key() }.emit();
    Ok(())
}
