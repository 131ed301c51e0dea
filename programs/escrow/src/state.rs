//! Escrow program state.

use sdk::state::{Bool, U16};
use sdk::Pubkey;

/// Seed of the config PDA.
pub const CONFIG_SEED: &[u8] = b"config";
/// Protocol fee cap: 10%.
pub const MAX_FEE_BPS: u16 = 1_000;

sdk::account! {
    /// Protocol configuration (one per deployment, PDA ["config"]).
    pub struct Config {
        /// May change fee, treasury, arbiter and pause.
        pub admin: Pubkey,
        /// Nominated admin; becomes admin when it accepts (two-step transfer). Zero when none.
        pub pending_admin: Pubkey,
        /// Receives protocol fees.
        pub treasury: Pubkey,
        /// Resolves disputes.
        pub arbiter: Pubkey,
        /// Protocol fee in basis points of settled charges.
        pub fee_bps: U16,
        /// Stops new escrows and charges; never refunds, settlement or withdrawals.
        pub paused: Bool,
        /// Canonical bump of the config PDA.
        pub bump: u8,
    }
}
