//! `initialize_config`: creates the protocol config PDA, once, by the program's upgrade authority
//! (so nobody can front-run the deployment and install themselves as admin).

use crate::errors::EscrowError;
use crate::events::ConfigInitialized;
use crate::state::{Config, CONFIG_SEED, MAX_FEE_BPS};
use sdk::cpi::{system, Seed, Signer};
use sdk::cpi::system::NewAccount;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::loader;
use sdk::pda::{canonical_bump, PdaSeeds};
use sdk::state::{AccountState, Bool, U16};
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Creates the protocol config. Only the program's upgrade authority may call it.
    initialize_config {
        accounts {
            /// Pays the config account's rent.
            payer: [writable signer],
            /// The first admin: must be the program's upgrade authority.
            admin: [signer],
            /// The config PDA, seeds ["config"].
            config: [writable],
            /// This program's account (its data names its ProgramData account).
            program: [address(crate::ID)],
            /// This program's ProgramData account (holds the upgrade authority).
            program_data: [],
            system_program: [address(system::ID)],
        }
        args {
            /// Receives protocol fees.
            treasury: &'a Pubkey,
            /// Resolves disputes.
            arbiter: &'a Pubkey,
            /// Protocol fee in basis points (at most 1,000).
            fee_bps: u16,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require(args.fee_bps <= MAX_FEE_BPS, EscrowError::FeeTooHigh)?;
    require(loader::is_upgrade_authority(ctx.program, ctx.program_data, ctx.admin.key())?, EscrowError::NotUpgradeAuthority)?;
    let bump = canonical_bump(ctx.config, &PdaSeeds { seeds: &[CONFIG_SEED], program_id }, "config")?;

    let bump_seed = [bump];
    let seeds = [Seed::from(CONFIG_SEED), Seed::from(&bump_seed)];
    NewAccount::rent_exempt(ctx.payer, ctx.config, Config::LEN, program_id)?.create_even_if_funded(&[Signer::from(&seeds)])?;
    let mut config = Config::init(ctx.config, program_id)?;
    config.admin = *ctx.admin.key();
    config.treasury = *args.treasury;
    config.arbiter = *args.arbiter;
    config.fee_bps = U16::new(args.fee_bps);
    config.paused = Bool::new(false);
    config.bump = bump;
    drop(config);

    ConfigInitialized {
        discriminator: Discriminator::EVENT,
        config: *ctx.config.key(),
        admin: *ctx.admin.key(),
        treasury: *args.treasury,
        arbiter: *args.arbiter,
        fee_bps: args.fee_bps,
    }
    .emit();
    Ok(())
}
