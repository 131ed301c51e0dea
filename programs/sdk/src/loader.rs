//! BPFLoaderUpgradeable account layouts: who may upgrade a program (and so who may run its
//! one-time setup instructions).

use crate::account::AccountView;
use crate::error::{FrameworkError, ProgramError};
use crate::pubkey::{pubkey_eq, Pubkey};

pub const BPF_LOADER_UPGRADEABLE_ID: Pubkey = crate::pubkey!("BPFLoaderUpgradeab1e11111111111111111111111");

const PROGRAM_TAG: u32 = 2;
const PROGRAM_DATA_TAG: u32 = 3;

/// True when `who` is the upgrade authority of `program` (an immutable program has none), read
/// from its ProgramData account, which must be the one the program account names.
pub fn is_upgrade_authority(program: &AccountView, program_data: &AccountView, who: &Pubkey) -> Result<bool, ProgramError> {
    // the program account is the loader's (it names `program_data`, checked below) and so must be
    // the ProgramData: one comparison with the loader's id
    // (owners compared first: the other order lets LLVM compare both with the constant)
    if !pubkey_eq(program_data.owner(), program.owner()) || !program.is_owned_by(&BPF_LOADER_UPGRADEABLE_ID) {
        return Err(FrameworkError::AccountOwnedByWrongProgram.on("program_data"));
    }
    {
        let data = program.try_borrow_data()?;
        let names_it = match data.split_first_chunk::<4>() {
            Some((tag, rest)) => u32::from_le_bytes(*tag) == PROGRAM_TAG && rest.first_chunk::<32>().is_some_and(|key| pubkey_eq(key, program_data.key())),
            None => false,
        };
        if !names_it {
            return Err(FrameworkError::ConstraintSeeds.on("program_data"));
        }
    }
    let data = program_data.try_borrow_data()?;
    // tag u32, slot u64, Option<Pubkey> (1-byte tag + 32 bytes)
    let (Some(tag), Some(authority)) = (data.first_chunk::<4>(), data.get(12..45)) else {
        return Err(FrameworkError::AccountDidNotDeserialize.on("program_data"));
    };
    if u32::from_le_bytes(*tag) != PROGRAM_DATA_TAG {
        return Err(FrameworkError::AccountDidNotDeserialize.on("program_data"));
    }
    let (is_some, key) = authority.split_at(1);
    Ok(is_some[0] == 1 && key.first_chunk::<32>().is_some_and(|key| pubkey_eq(key, who)))
}
