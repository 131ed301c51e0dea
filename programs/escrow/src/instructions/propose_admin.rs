//! `propose_admin`: first step of the two-step admin transfer (zero cancels a nomination).

use super::shared::require_key;
use crate::errors::EscrowError;
use crate::events::AdminProposed;
use crate::state::Config;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Nominates the next admin; it takes over when it calls `accept_admin`.
    propose_admin {
        accounts {
            admin: [signer],
            config: [writable],
        }
        args {
            new_admin: &'a Pubkey,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let mut config = Config::load_mut(ctx.config, program_id)?;
    require_key(ctx.admin, &config.admin, EscrowError::NotAdmin)?;
    config.pending_admin = *args.new_admin;
    drop(config);
    AdminProposed { discriminator: Discriminator::EVENT, config: *ctx.config.key(), admin: *ctx.admin.key(), pending_admin: *args.new_admin }.emit();
    Ok(())
}
