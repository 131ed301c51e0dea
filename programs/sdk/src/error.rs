//! Errors a program returns, with the runtime's built-in codes, Anchor's framework codes (so
//! Anchor clients name them) and each program's own codes from 6000 (declared with `errors!`).

/// What an instruction can fail with. `Custom` codes below 6000 are Anchor framework errors
/// ([`FrameworkError`]); 6000 and up belong to the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramError {
    Custom(u32),
    InvalidArgument,
    InvalidInstructionData,
    InvalidAccountData,
    AccountDataTooSmall,
    InsufficientFunds,
    IncorrectProgramId,
    MissingRequiredSignature,
    AccountAlreadyInitialized,
    UninitializedAccount,
    NotEnoughAccountKeys,
    AccountBorrowFailed,
    InvalidSeeds,
    UnsupportedSysvar,
    IllegalOwner,
    InvalidRealloc,
    ArithmeticOverflow,
    Immutable,
    IncorrectAuthority,
    /// A raw code returned by a syscall (for example a failed CPI's error).
    Runtime(u64),
}

/// Result of an instruction handler.
pub type ProgramResult = Result<(), ProgramError>;

const fn builtin(n: u64) -> u64 {
    n << 32
}

impl ProgramError {
    /// The 64-bit code the entrypoint returns to the runtime.
    pub const fn to_u64(self) -> u64 {
        match self {
            ProgramError::Custom(0) => builtin(1),
            ProgramError::Custom(n) => n as u64,
            ProgramError::InvalidArgument => builtin(2),
            ProgramError::InvalidInstructionData => builtin(3),
            ProgramError::InvalidAccountData => builtin(4),
            ProgramError::AccountDataTooSmall => builtin(5),
            ProgramError::InsufficientFunds => builtin(6),
            ProgramError::IncorrectProgramId => builtin(7),
            ProgramError::MissingRequiredSignature => builtin(8),
            ProgramError::AccountAlreadyInitialized => builtin(9),
            ProgramError::UninitializedAccount => builtin(10),
            ProgramError::NotEnoughAccountKeys => builtin(11),
            ProgramError::AccountBorrowFailed => builtin(12),
            ProgramError::InvalidSeeds => builtin(14),
            ProgramError::UnsupportedSysvar => builtin(17),
            ProgramError::IllegalOwner => builtin(18),
            ProgramError::InvalidRealloc => builtin(20),
            ProgramError::ArithmeticOverflow => builtin(24),
            ProgramError::Immutable => builtin(25),
            ProgramError::IncorrectAuthority => builtin(26),
            ProgramError::Runtime(code) => code,
        }
    }
}

/// Anchor's framework error codes that our account validation raises, so that Anchor clients and
/// explorers show the same names they show for Anchor programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum FrameworkError {
    InstructionMissing = 100,
    InstructionFallbackNotFound = 101,
    InstructionDidNotDeserialize = 102,
    ConstraintMut = 2000,
    ConstraintHasOne = 2001,
    ConstraintSigner = 2002,
    ConstraintOwner = 2004,
    ConstraintSeeds = 2006,
    ConstraintExecutable = 2007,
    ConstraintAddress = 2012,
    ConstraintZero = 2013,
    ConstraintTokenMint = 2014,
    ConstraintTokenOwner = 2015,
    ConstraintMintTokenProgram = 2022,
    RequireKeysNeqViolated = 2504,
    AccountDiscriminatorAlreadySet = 3000,
    AccountDiscriminatorNotFound = 3001,
    AccountDiscriminatorMismatch = 3002,
    AccountDidNotDeserialize = 3003,
    AccountNotEnoughKeys = 3005,
    AccountNotMutable = 3006,
    AccountOwnedByWrongProgram = 3007,
    InvalidProgramId = 3008,
    InvalidProgramExecutable = 3009,
    AccountNotSigner = 3010,
    AccountNotSystemOwned = 3011,
    AccountNotInitialized = 3012,
}

impl FrameworkError {
    /// The name Anchor clients show.
    pub const fn name(self) -> &'static str {
        use FrameworkError::*;
        match self {
            InstructionMissing => "InstructionMissing",
            InstructionFallbackNotFound => "InstructionFallbackNotFound",
            InstructionDidNotDeserialize => "InstructionDidNotDeserialize",
            ConstraintMut => "ConstraintMut",
            ConstraintHasOne => "ConstraintHasOne",
            ConstraintSigner => "ConstraintSigner",
            ConstraintOwner => "ConstraintOwner",
            ConstraintSeeds => "ConstraintSeeds",
            ConstraintExecutable => "ConstraintExecutable",
            ConstraintAddress => "ConstraintAddress",
            ConstraintZero => "ConstraintZero",
            ConstraintTokenMint => "ConstraintTokenMint",
            ConstraintTokenOwner => "ConstraintTokenOwner",
            ConstraintMintTokenProgram => "ConstraintMintTokenProgram",
            RequireKeysNeqViolated => "RequireKeysNeqViolated",
            AccountDiscriminatorAlreadySet => "AccountDiscriminatorAlreadySet",
            AccountDiscriminatorNotFound => "AccountDiscriminatorNotFound",
            AccountDiscriminatorMismatch => "AccountDiscriminatorMismatch",
            AccountDidNotDeserialize => "AccountDidNotDeserialize",
            AccountNotEnoughKeys => "AccountNotEnoughKeys",
            AccountNotMutable => "AccountNotMutable",
            AccountOwnedByWrongProgram => "AccountOwnedByWrongProgram",
            InvalidProgramId => "InvalidProgramId",
            InvalidProgramExecutable => "InvalidProgramExecutable",
            AccountNotSigner => "AccountNotSigner",
            AccountNotSystemOwned => "AccountNotSystemOwned",
            AccountNotInitialized => "AccountNotInitialized",
        }
    }

    /// What went wrong, in a sentence.
    pub const fn message(self) -> &'static str {
        use FrameworkError::*;
        match self {
            InstructionMissing => "Instruction discriminator not provided",
            InstructionFallbackNotFound => "Unknown instruction discriminator",
            InstructionDidNotDeserialize => "The instruction data could not be decoded",
            ConstraintMut => "A writable account was expected",
            ConstraintHasOne => "The account does not belong to the expected owner or parent",
            ConstraintSigner => "A signature was expected",
            ConstraintOwner => "The account is owned by an unexpected program",
            ConstraintSeeds => "The account is not the expected program-derived address",
            ConstraintExecutable => "An executable program account was expected",
            ConstraintAddress => "The account is not at the expected address",
            ConstraintZero => "The account was expected to be uninitialized",
            ConstraintTokenMint => "The token account has an unexpected mint",
            ConstraintTokenOwner => "The token account has an unexpected owner",
            ConstraintMintTokenProgram => "The mint is owned by an unexpected token program",
            RequireKeysNeqViolated => "Two accounts that must differ are the same",
            AccountDiscriminatorAlreadySet => "The account is already initialized",
            AccountDiscriminatorNotFound => "The account has no discriminator",
            AccountDiscriminatorMismatch => "The account is of another type",
            AccountDidNotDeserialize => "The account data could not be decoded",
            AccountNotEnoughKeys => "Not enough accounts were given",
            AccountNotMutable => "The account is not writable",
            AccountOwnedByWrongProgram => "The account is owned by another program",
            InvalidProgramId => "Unexpected program id",
            InvalidProgramExecutable => "The program account is not executable",
            AccountNotSigner => "The account did not sign",
            AccountNotSystemOwned => "The account is not owned by the system program",
            AccountNotInitialized => "The account is not initialized",
        }
    }

    /// Logs the error in Anchor's `caused by account` form and returns it.
    #[cold]
    pub fn on(self, account: &str) -> ProgramError {
        crate::log::log_parts(&[
            "AnchorError caused by account: ",
            account,
            ". Error Code: ",
            self.name(),
            ". Error Number: ",
            crate::log::U32Text::new(self as u32).as_str(),
            ". Error Message: ",
            self.message(),
            ".",
        ]);
        ProgramError::Custom(self as u32)
    }
}

impl From<FrameworkError> for ProgramError {
    /// Logs the error in Anchor's `AnchorError occurred` form, so that clients decode it.
    #[cold]
    fn from(e: FrameworkError) -> Self {
        crate::log::log_parts(&[
            "AnchorError occurred. Error Code: ",
            e.name(),
            ". Error Number: ",
            crate::log::U32Text::new(e as u32).as_str(),
            ". Error Message: ",
            e.message(),
            ".",
        ]);
        ProgramError::Custom(e as u32)
    }
}

/// Returns `Err(error)` unless `condition` holds: `require(amount > 0, EscrowError::ZeroAmount)?`.
#[inline(always)]
pub fn require<E: Into<ProgramError>>(condition: bool, error: E) -> ProgramResult {
    if condition {
        Ok(())
    } else {
        Err(error.into())
    }
}
