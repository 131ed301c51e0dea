//! BPFLoaderUpgradeable account layouts: who may upgrade a program (and so who may run its
//! one-time setup instructions).

use crate::account::AccountView;
use crate::error::{FrameworkError, ProgramError};
use crate::pubkey::{pubkey_eq, Pubkey};

pub const BPF_LOADER_UPGRADEABLE_ID: Pubkey = crate::pubkey!("BPFLoaderUpgradeab1e11111111111111111111111");

const PROGRAM_TAG: u32 = 2;
const PROGRAM_DATA_TAG: u32 = 3;

/// The upgrade authority of `program` (None when the program is immutable), read from its
/// ProgramData account, which must be the one the program account names.
pub fn upgrade_authority(program: &AccountView, program_data: &AccountView) -> Result<Option<Pubkey>, ProgramError> {
    if !program.is_owned_by(&BPF_LOADER_UPGRADEABLE_ID) || !program_data.is_owned_by(&BPF_LOADER_UPGRADEABLE_ID) {
        return Err(FrameworkError::AccountOwnedByWrongProgram.on("program_data"));
    }
    {
        let data = program.try_borrow_data()?;
        let names_it = data.len() >= 36 && data[..4] == PROGRAM_TAG.to_le_bytes() && pubkey_eq(data[4..36].try_into().expect("36 bytes"), program_data.key());
        if !names_it {
            return Err(FrameworkError::ConstraintSeeds.on("program_data"));
        }
    }
    let data = program_data.try_borrow_data()?;
    // tag u32, slot u64, Option<Pubkey> (1-byte tag + 32 bytes)
    if data.len() < 45 || data[..4] != PROGRAM_DATA_TAG.to_le_bytes() {
        return Err(FrameworkError::AccountDidNotDeserialize.on("program_data"));
    }
    Ok(if data[12] == 1 { Some(data[13..45].try_into().expect("32 bytes")) } else { None })
}
