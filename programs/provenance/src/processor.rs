//! Dispatch: one flat match on the 8-byte discriminator, the hottest first: the `emit_cpi`
//! self-invocation every instruction makes, then the records.

use crate::instructions::*;
use crate::state::EVENT_AUTHORITY;
use sdk::error::FrameworkError;
use sdk::event::{process_event_cpi, EVENT_IX_TAG};
use sdk::{AccountView, ProgramResult, Pubkey};

const EVENT_IX_TAG_U64: u64 = u64::from_le_bytes(EVENT_IX_TAG);

pub fn process_instruction(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let Some((discriminator, args)) = data.split_first_chunk::<8>() else {
        return Err(FrameworkError::InstructionMissing.into());
    };
    match u64::from_le_bytes(*discriminator) {
        // an event this program emitted: accepted only when signed by its event authority
        EVENT_IX_TAG_U64 => process_event_cpi(accounts, &EVENT_AUTHORITY),
        record_inference::DISCRIMINATOR_U64 => record_inference::process(program_id, accounts, args),
        record_batch::DISCRIMINATOR_U64 => record_batch::process(program_id, accounts, args),
        verify_inclusion::DISCRIMINATOR_U64 => verify_inclusion::process(program_id, accounts, args),
        register_node::DISCRIMINATOR_U64 => register_node::process(program_id, accounts, args),
        update_node::DISCRIMINATOR_U64 => update_node::process(program_id, accounts, args),
        set_node_status::DISCRIMINATOR_U64 => set_node_status::process(program_id, accounts, args),
        create_cluster::DISCRIMINATOR_U64 => create_cluster::process(program_id, accounts, args),
        add_cluster_members::DISCRIMINATOR_U64 => add_cluster_members::process(program_id, accounts, args),
        remove_cluster_member::DISCRIMINATOR_U64 => remove_cluster_member::process(program_id, accounts, args),
        activate_cluster::DISCRIMINATOR_U64 => activate_cluster::process(program_id, accounts, args),
        close_cluster::DISCRIMINATOR_U64 => close_cluster::process(program_id, accounts, args),
        open_batch_log::DISCRIMINATOR_U64 => open_batch_log::process(program_id, accounts, args),
        grow_batch_log::DISCRIMINATOR_U64 => grow_batch_log::process(program_id, accounts, args),
        close_batch_log::DISCRIMINATOR_U64 => close_batch_log::process(program_id, accounts, args),
        _ => Err(FrameworkError::InstructionFallbackNotFound.into()),
    }
}
