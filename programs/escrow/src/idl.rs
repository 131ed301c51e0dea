//! The escrow program's IDL (host only, `idl` feature): everything `programs/idl` writes to
//! `target/idl/escrow.json`.

use crate::{errors, events, instructions, state};

sdk::program_idl! {
    name: "escrow",
    docs: ["infergrid escrow: clients fund GPU work in SOL or SPL tokens; metered, challengeable settlement."],
    instructions: [instructions::initialize_config],
    accounts: [state::Config],
    events: [events::ConfigInitialized],
    errors: errors::EscrowError,
    types: [],
}
