//! Escrow errors (Anchor numbering from 6000), grouped by domain.

sdk::errors! {
    /// Errors of the escrow program.
    pub enum EscrowError {
        // ---- config and roles
        FeeTooHigh = 6000 => "The protocol fee exceeds the 10% cap",
        NotUpgradeAuthority = 6001 => "Only the program's upgrade authority may initialize the config",
        NotAdmin = 6002 => "Only the config admin may do this",
        NotPendingAdmin = 6003 => "Only the nominated admin may accept",
        Paused = 6004 => "The protocol is paused: no new escrows or charges",
        NotClient = 6005 => "Only the escrow's client may do this",
        NotMeter = 6006 => "The signer is not a meter this escrow authorised",
        NotArbiter = 6007 => "Only the config arbiter may resolve disputes",
        NotEarningsOwner = 6008 => "Only the earnings owner may withdraw",
        // ---- terms
        InvalidExpiry = 6010 => "The expiry must be in the future",
        InvalidChallengeWindow = 6011 => "The challenge window must be between one minute and thirty days",
        InvalidPrice = 6012 => "The maximum price per unit must be positive",
        InvalidPayees = 6013 => "Payees must be 1 to 64 distinct wallets whose shares add up to 10,000 bps",
        PayeesMismatch = 6014 => "The payee list differs from the one fixed at open",
        InvalidMeter = 6015 => "The provider meter must be set",
        // ---- tokens
        UnsupportedMint = 6020 => "The mint has an extension that would break the escrow's accounting",
        MintMismatch = 6021 => "The mint differs from the escrow's or vault's mint",
        VaultMismatch = 6022 => "The vault is not the program's vault for this mint",
        TokenProgramMismatch = 6023 => "The token program differs from the mint's",
        FundingMismatch = 6024 => "Token accounts must be given exactly for a token escrow and omitted for a SOL one",
        // ---- charges
        EscrowEnded = 6030 => "The escrow has expired or is closing: no more charges",
        ZeroCharge = 6031 => "A charge needs positive units and amount",
        PriceAboveTerms = 6032 => "The charge exceeds units times the maximum price per unit",
        InsufficientBalance = 6033 => "The charge exceeds the escrow's available balance",
        TooManyOpenDisputes = 6034 => "Every pending bucket is in use: resolve disputes or wait for the window",
        // ---- approvals and disputes
        UnknownBucket = 6040 => "No pending bucket for that window",
        ChallengeWindowClosed = 6041 => "The challenge window of that bucket has passed",
        InvalidDisputeAmount = 6042 => "The amount must be positive and at most the undisputed (or disputed) amount",
        NoDispute = 6043 => "That bucket has no dispute",
        // ---- settlement, withdrawal, refund, close
        NothingToSettle = 6050 => "Nothing has matured for settlement",
        EarningsMismatch = 6051 => "The earnings account does not belong to that payee and mint",
        InsufficientEarnings = 6052 => "The withdrawal exceeds the earnings balance",
        ZeroAmount = 6053 => "The amount must be positive",
        EscrowNotEnded = 6054 => "Unspent funds come back after expiry or a close notice",
        EscrowNotEmpty = 6055 => "Close needs no funds held: refund, and settle or resolve what is pending",
        AlreadyClosing = 6056 => "A close notice was already given",
    }
}
