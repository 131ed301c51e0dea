//! Dispatch: one flat match on the 8-byte discriminator, the hottest instructions first.

use crate::instructions::*;
use sdk::error::FrameworkError;
use sdk::{AccountView, ProgramResult, Pubkey};

pub fn process_instruction(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let Some((discriminator, args)) = data.split_first_chunk::<8>() else {
        return Err(FrameworkError::InstructionMissing.into());
    };
    match u64::from_le_bytes(*discriminator) {
        claim::DISCRIMINATOR_U64 => claim::process(program_id, accounts, args),
        publish_root::DISCRIMINATOR_U64 => publish_root::process(program_id, accounts, args),
        fund_distributor::DISCRIMINATOR_U64 => fund_distributor::process(program_id, accounts, args),
        create_distributor::DISCRIMINATOR_U64 => create_distributor::process(program_id, accounts, args),
        update_distributor::DISCRIMINATOR_U64 => update_distributor::process(program_id, accounts, args),
        propose_authority::DISCRIMINATOR_U64 => propose_authority::process(program_id, accounts, args),
        accept_authority::DISCRIMINATOR_U64 => accept_authority::process(program_id, accounts, args),
        clawback::DISCRIMINATOR_U64 => clawback::process(program_id, accounts, args),
        close_claim_status::DISCRIMINATOR_U64 => close_claim_status::process(program_id, accounts, args),
        _ => Err(FrameworkError::InstructionFallbackNotFound.into()),
    }
}
