//! Escrow errors (Anchor numbering from 6000).

sdk::errors! {
    /// Errors of the escrow program.
    pub enum EscrowError {
        /// Protocol fee above MAX_FEE_BPS.
        FeeTooHigh = 6000 => "The protocol fee exceeds the 10% cap",
        /// The admin and the upgrade authority differ.
        NotUpgradeAuthority = 6001 => "Only the program's upgrade authority may initialize the config",
    }
}
