//! Escrow events: the indexer's contract. Each is self-contained.

use sdk::Pubkey;

sdk::event! {
    /// The protocol config was created.
    pub struct ConfigInitialized {
        pub config: Pubkey,
        pub admin: Pubkey,
        pub treasury: Pubkey,
        pub arbiter: Pubkey,
        pub fee_bps: u16,
    }
}
