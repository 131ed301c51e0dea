//! `refund`: after expiry or a close notice, the client takes back every unspent (available)
//! lamport or token. Never blocked by the pause.

use super::shared::{require_client, token_side};
use sdk::account::move_lamports;
use crate::errors::EscrowError;
use crate::events::EscrowRefunded;
use crate::state::Escrow;
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::state::AccountState;
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Returns the whole available balance to the client (its wallet for SOL, `client_token`
    /// for a token).
    refund {
        accounts {
            client: [writable signer],
            escrow: [writable],
            mint_vault: [optional],
            vault: [writable optional],
            mint: [optional],
            client_token: [writable optional],
            token_program: [optional],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let now = Clock::now()?;
    let mut escrow = Escrow::load_mut(ctx.escrow, program_id)?;
    require_client(&escrow, ctx.client)?;
    require(now >= escrow.ends_at(), EscrowError::EscrowNotEnded)?;
    // charges whose window passed mature first, so the refund never takes what a provider earned
    escrow.mature(now, None)?;
    let amount = escrow.available()?;
    require(amount > 0, EscrowError::ZeroAmount)?;
    escrow.refunded.checked_add_assign(amount)?;
    let mint = escrow.mint;
    let destination;
    let event_base = (escrow.refunded.get(), escrow.available()?);
    drop(escrow);
    match token_side(program_id, &mint, [ctx.mint_vault, ctx.vault, ctx.mint, ctx.token_program])? {
        None => {
            require(ctx.client_token.is_none(), EscrowError::FundingMismatch)?;
            destination = *ctx.client.key();
            move_lamports(ctx.escrow, ctx.client, amount)?;
        }
        Some(token) => {
            let to = ctx.client_token.ok_or_else::<ProgramError, _>(|| EscrowError::FundingMismatch.into())?;
            destination = *to.key();
            token.pay_out(to, amount)?;
        }
    }
    EscrowRefunded {
        discriminator: Discriminator::EVENT,
        escrow: *ctx.escrow.key(),
        client: *ctx.client.key(),
        destination,
        amount,
        refunded: event_base.0,
        available: event_base.1,
    }
    .emit();
    Ok(())
}
