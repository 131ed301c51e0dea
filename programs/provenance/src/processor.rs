//! Dispatch: one flat match on the 8-byte discriminator, the hottest instructions first.

use sdk::error::FrameworkError;
use sdk::{AccountView, ProgramResult, Pubkey};

pub fn process_instruction(_program_id: &Pubkey, _accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let Some((discriminator, _args)) = data.split_first_chunk::<8>() else {
        return Err(FrameworkError::InstructionMissing.into());
    };
    match u64::from_le_bytes(*discriminator) {
        _ => Err(FrameworkError::InstructionFallbackNotFound.into()),
    }
}
