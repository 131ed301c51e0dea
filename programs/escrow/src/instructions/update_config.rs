//! `update_config`: the admin sets fee, treasury, arbiter and pause. The fee applies to escrows
//! opened afterwards; existing escrows keep the fee they opened with.

use super::shared::{load_config, require_key};
use crate::errors::EscrowError;
use crate::events::ConfigUpdated;
use crate::state::{Config, MAX_FEE_BPS};
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::state::{AccountState, Bool, U16};
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Sets fee, treasury, arbiter and pause (admin only).
    update_config {
        accounts {
            admin: [signer],
            config: [writable],
        }
        args {
            treasury: &'a Pubkey,
            arbiter: &'a Pubkey,
            fee_bps: u16,
            /// Stops new escrows and charges; refunds, settlement and withdrawals go on.
            paused: bool,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require(args.fee_bps <= MAX_FEE_BPS, EscrowError::FeeTooHigh)?;
    require_key(ctx.admin, &load_config(ctx.config, program_id)?.admin, EscrowError::NotAdmin)?;
    let mut config = Config::load_mut(ctx.config, program_id)?;
    config.treasury = *args.treasury;
    config.arbiter = *args.arbiter;
    config.fee_bps = U16::new(args.fee_bps);
    config.paused = Bool::new(args.paused);
    drop(config);
    ConfigUpdated {
        discriminator: Discriminator::EVENT,
        config: *ctx.config.key(),
        admin: *ctx.admin.key(),
        treasury: *args.treasury,
        arbiter: *args.arbiter,
        fee_bps: args.fee_bps,
        paused: args.paused,
    }
    .emit();
    Ok(())
}
