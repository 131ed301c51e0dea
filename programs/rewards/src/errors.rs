//! Rewards errors (Anchor numbering from 6000), grouped by domain. Messages are short: each one is
//! stored in the program.

sdk::errors! {
    /// Errors of the rewards program.
    pub enum RewardsError {
        // ---- roles and life cycle
        NotAuthority = 6000 => "Only the authority may do this",
        NotPendingAuthority = 6001 => "Only the nominated authority may accept",
        Paused = 6002 => "Claims are paused",
        DistributorExpired = 6003 => "The distributor has expired",
        DistributorNotExpired = 6004 => "Clawback only after expiry",
        InvalidExpiry = 6005 => "Expiry must be future and never earlier",
        InvalidAddress = 6006 => "Authority and treasury must be set",
        ZeroAmount = 6007 => "The amount must be positive",
        // ---- tokens and destinations
        UnsupportedMint = 6010 => "Mint extension breaks exact payouts",
        MintMismatch = 6011 => "Not the distributor's mint",
        VaultMismatch = 6012 => "Not the distributor's vault",
        TokenProgramMismatch = 6013 => "Not the mint's token program",
        FundingMismatch = 6014 => "Token accounts: all for a token, none for SOL",
        DestinationMismatch = 6015 => "Not the recipient's wallet or token account",
        // ---- roots
        EpochNotIncreasing = 6020 => "The epoch must increase",
        InvalidRoot = 6021 => "The root must not be zero",
        GuardBelowClaimed = 6022 => "A guard is below what was already claimed",
        NoRoot = 6023 => "No root published yet",
        // ---- claims
        InvalidProof = 6030 => "Invalid proof",
        NothingToClaim = 6031 => "Nothing left to claim",
        ExceedsMaxTotalClaim = 6032 => "Above the root's maximum total claim",
        ExceedsMaxNumNodes = 6033 => "Above the root's maximum node count",
        VaultUnderfunded = 6034 => "The vault holds less than the amount due",
        ClaimStatusMismatch = 6035 => "Claim status of another distributor or supplier",
        // ---- claim status close
        DistributorNotClosed = 6040 => "The distributor is still open",
        RentPayerMismatch = 6041 => "Rent goes back to who paid it",
    }
}
