//! `fund_escrow`: the client tops up an escrow, at any time before it ends.

use super::shared::{require_client, take_deposit, token_side};
use crate::errors::EscrowError;
use crate::events::EscrowFunded;
use crate::state::Escrow;
use sdk::cpi::system;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Adds funds to an escrow.
    fund_escrow {
        accounts {
            client: [writable signer],
            escrow: [writable],
            system_program: [address(system::ID)],
            mint_vault: [optional],
            vault: [writable optional],
            mint: [optional],
            client_token: [writable optional],
            token_program: [optional],
        }
        args {
            amount: u64,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require(args.amount > 0, EscrowError::ZeroAmount)?;
    let mint = {
        let escrow = Escrow::load(ctx.escrow, program_id)?;
        require_client(&escrow, ctx.client)?;
        require(Clock::now()? < escrow.ends_at(), EscrowError::EscrowEnded)?;
        escrow.mint
    };
    let token = token_side(program_id, &mint, [ctx.mint_vault, ctx.vault, ctx.mint, ctx.token_program])?;
    take_deposit(ctx.client, ctx.escrow, ctx.client_token, token.as_ref(), args.amount)?;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    escrow.deposited.checked_add_assign(args.amount)?;
    let event = EscrowFunded {
        discriminator: Discriminator::EVENT,
        escrow: *ctx.escrow.key(),
        client: *ctx.client.key(),
        amount: args.amount,
        deposited: escrow.deposited.get(),
        available: escrow.available()?,
    };
    drop(escrow);
    event.emit();
    Ok(())
}
