//! Dispatch: one flat match on the 8-byte discriminator, the hottest instructions first.

use crate::instructions::*;
use sdk::error::FrameworkError;
use sdk::{AccountView, ProgramResult, Pubkey};

pub fn process_instruction(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let Some((discriminator, args)) = data.split_first_chunk::<8>() else {
        return Err(FrameworkError::InstructionMissing.into());
    };
    match u64::from_le_bytes(*discriminator) {
        initialize_config::DISCRIMINATOR_U64 => initialize_config::process(program_id, accounts, args),
        _ => Err(FrameworkError::InstructionFallbackNotFound.into()),
    }
}
