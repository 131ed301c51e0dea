//! Dispatch: one flat match on the 8-byte discriminator, the hottest instructions first.

use crate::instructions::*;
use sdk::error::FrameworkError;
use sdk::{AccountView, ProgramResult, Pubkey};

pub fn process_instruction(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let Some((discriminator, args)) = data.split_first_chunk::<8>() else {
        return Err(FrameworkError::InstructionMissing.into());
    };
    match u64::from_le_bytes(*discriminator) {
        charge::DISCRIMINATOR_U64 => charge::process(program_id, accounts, args),
        settle::DISCRIMINATOR_U64 => settle::process(program_id, accounts, args),
        withdraw_earnings::DISCRIMINATOR_U64 => withdraw_earnings::process(program_id, accounts, args),
        open_escrow::DISCRIMINATOR_U64 => open_escrow::process(program_id, accounts, args),
        fund_escrow::DISCRIMINATOR_U64 => fund_escrow::process(program_id, accounts, args),
        approve_charges::DISCRIMINATOR_U64 => approve_charges::process(program_id, accounts, args),
        dispute_charges::DISCRIMINATOR_U64 => dispute_charges::process(program_id, accounts, args),
        resolve_dispute::DISCRIMINATOR_U64 => resolve_dispute::process(program_id, accounts, args),
        request_close::DISCRIMINATOR_U64 => request_close::process(program_id, accounts, args),
        refund::DISCRIMINATOR_U64 => refund::process(program_id, accounts, args),
        close_escrow::DISCRIMINATOR_U64 => close_escrow::process(program_id, accounts, args),
        open_earnings::DISCRIMINATOR_U64 => open_earnings::process(program_id, accounts, args),
        create_mint_vault::DISCRIMINATOR_U64 => create_mint_vault::process(program_id, accounts, args),
        update_config::DISCRIMINATOR_U64 => update_config::process(program_id, accounts, args),
        propose_admin::DISCRIMINATOR_U64 => propose_admin::process(program_id, accounts, args),
        accept_admin::DISCRIMINATOR_U64 => accept_admin::process(program_id, accounts, args),
        initialize_config::DISCRIMINATOR_U64 => initialize_config::process(program_id, accounts, args),
        _ => Err(FrameworkError::InstructionFallbackNotFound.into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_interface_names_the_same_instructions() {
        assert_eq!(escrow_interface::cpi::CHARGE, crate::instructions::charge::DISCRIMINATOR);
    }
}
