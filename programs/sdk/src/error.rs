//! Errors a program returns, with the runtime's built-in codes, Anchor's framework codes (so
//! Anchor clients name them) and each program's own codes from 6000 (declared with `errors!`).

use core::num::NonZeroU64;

/// What an instruction can fail with: the 64-bit code the entrypoint returns. Built-in runtime
/// errors are `n << 32`; `Custom` codes below 6000 are Anchor framework errors ([`FrameworkError`]),
/// 6000 and up belong to the program.
///
/// A non-zero u64 rather than an enum: `Result<(), ProgramError>` then fits in one register, which
/// keeps every fallible call cheap on SBPF (no return through memory).
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct ProgramError(NonZeroU64);

/// Result of an instruction handler.
pub type ProgramResult = Result<(), ProgramError>;

const fn code(n: u64) -> ProgramError {
    match NonZeroU64::new(n) {
        Some(v) => ProgramError(v),
        None => panic!("error codes are non-zero"),
    }
}

const fn builtin(n: u64) -> ProgramError {
    code(n << 32)
}

#[allow(non_upper_case_globals, non_snake_case)]
impl ProgramError {
    pub const InvalidArgument: Self = builtin(2);
    pub const InvalidInstructionData: Self = builtin(3);
    pub const InvalidAccountData: Self = builtin(4);
    pub const AccountDataTooSmall: Self = builtin(5);
    pub const InsufficientFunds: Self = builtin(6);
    pub const IncorrectProgramId: Self = builtin(7);
    pub const MissingRequiredSignature: Self = builtin(8);
    pub const AccountAlreadyInitialized: Self = builtin(9);
    pub const UninitializedAccount: Self = builtin(10);
    pub const NotEnoughAccountKeys: Self = builtin(11);
    pub const AccountBorrowFailed: Self = builtin(12);
    pub const InvalidSeeds: Self = builtin(14);
    pub const UnsupportedSysvar: Self = builtin(17);
    pub const IllegalOwner: Self = builtin(18);
    pub const InvalidRealloc: Self = builtin(20);
    pub const ArithmeticOverflow: Self = builtin(24);
    pub const Immutable: Self = builtin(25);
    pub const IncorrectAuthority: Self = builtin(26);

    /// A program-defined code (Anchor: framework errors below 6000, program errors from 6000).
    /// Custom(0) is the runtime's "custom program error: 0x0", encoded as `1 << 32`.
    pub const fn Custom(n: u32) -> Self {
        if n == 0 {
            builtin(1)
        } else {
            code(n as u64)
        }
    }

    /// A raw non-zero code returned by a syscall (for example a failed CPI's error).
    pub const fn Runtime(raw: u64) -> Self {
        code(raw)
    }

    /// The 64-bit code the entrypoint returns to the runtime.
    pub const fn to_u64(self) -> u64 {
        self.0.get()
    }

    /// The custom code, when this is a custom error.
    pub const fn custom_code(self) -> Option<u32> {
        let raw = self.0.get();
        if raw == 1 << 32 {
            Some(0)
        } else if raw <= u32::MAX as u64 {
            Some(raw as u32)
        } else {
            None
        }
    }
}

impl core::fmt::Debug for ProgramError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.custom_code() {
            Some(c) => write!(f, "Custom({c})"),
            None => write!(f, "ProgramError({:#x})", self.0.get()),
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

/// (error, name, message) of every framework error: a table in read-only data, which is smaller on
/// SBPF than two `match`es compiled to code.
const FRAMEWORK_ERRORS: [(FrameworkError, &str, &str); 27] = [
    (FrameworkError::InstructionMissing, "InstructionMissing", "Instruction discriminator not provided"),
    (FrameworkError::InstructionFallbackNotFound, "InstructionFallbackNotFound", "Unknown instruction discriminator"),
    (FrameworkError::InstructionDidNotDeserialize, "InstructionDidNotDeserialize", "The instruction data could not be decoded"),
    (FrameworkError::ConstraintMut, "ConstraintMut", "A writable account was expected"),
    (FrameworkError::ConstraintHasOne, "ConstraintHasOne", "The account does not belong to the expected owner or parent"),
    (FrameworkError::ConstraintSigner, "ConstraintSigner", "A signature was expected"),
    (FrameworkError::ConstraintOwner, "ConstraintOwner", "The account is owned by an unexpected program"),
    (FrameworkError::ConstraintSeeds, "ConstraintSeeds", "The account is not the expected program-derived address"),
    (FrameworkError::ConstraintExecutable, "ConstraintExecutable", "An executable program account was expected"),
    (FrameworkError::ConstraintAddress, "ConstraintAddress", "The account is not at the expected address"),
    (FrameworkError::ConstraintZero, "ConstraintZero", "The account was expected to be uninitialized"),
    (FrameworkError::ConstraintTokenMint, "ConstraintTokenMint", "The token account has an unexpected mint"),
    (FrameworkError::ConstraintTokenOwner, "ConstraintTokenOwner", "The token account has an unexpected owner"),
    (FrameworkError::ConstraintMintTokenProgram, "ConstraintMintTokenProgram", "The mint is owned by an unexpected token program"),
    (FrameworkError::RequireKeysNeqViolated, "RequireKeysNeqViolated", "Two accounts that must differ are the same"),
    (FrameworkError::AccountDiscriminatorAlreadySet, "AccountDiscriminatorAlreadySet", "The account is already initialized"),
    (FrameworkError::AccountDiscriminatorNotFound, "AccountDiscriminatorNotFound", "The account has no discriminator"),
    (FrameworkError::AccountDiscriminatorMismatch, "AccountDiscriminatorMismatch", "The account is of another type"),
    (FrameworkError::AccountDidNotDeserialize, "AccountDidNotDeserialize", "The account data could not be decoded"),
    (FrameworkError::AccountNotEnoughKeys, "AccountNotEnoughKeys", "Not enough accounts were given"),
    (FrameworkError::AccountNotMutable, "AccountNotMutable", "The account is not writable"),
    (FrameworkError::AccountOwnedByWrongProgram, "AccountOwnedByWrongProgram", "The account is owned by another program"),
    (FrameworkError::InvalidProgramId, "InvalidProgramId", "Unexpected program id"),
    (FrameworkError::InvalidProgramExecutable, "InvalidProgramExecutable", "The program account is not executable"),
    (FrameworkError::AccountNotSigner, "AccountNotSigner", "The account did not sign"),
    (FrameworkError::AccountNotSystemOwned, "AccountNotSystemOwned", "The account is not owned by the system program"),
    (FrameworkError::AccountNotInitialized, "AccountNotInitialized", "The account is not initialized"),
];

impl FrameworkError {
    fn entry(self) -> &'static (FrameworkError, &'static str, &'static str) {
        FRAMEWORK_ERRORS.iter().find(|e| e.0 == self).unwrap_or(&FRAMEWORK_ERRORS[0])
    }

    /// The name Anchor clients show.
    pub fn name(self) -> &'static str {
        self.entry().1
    }

    /// What went wrong, in a sentence.
    pub fn message(self) -> &'static str {
        self.entry().2
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

/// Logs a program error in Anchor's `AnchorError occurred` form, looking its name and message up in
/// `table` (code, name, message), and returns it as a custom error.
#[inline(never)]
#[cold]
pub fn log_program_error(code: u32, table: &[(u32, &str, &str)]) -> ProgramError {
    let (name, message) = table.iter().find(|e| e.0 == code).map_or(("Unknown", ""), |e| (e.1, e.2));
    crate::log::log_parts(&[
        "AnchorError occurred. Error Code: ",
        name,
        ". Error Number: ",
        crate::log::U32Text::new(code).as_str(),
        ". Error Message: ",
        message,
        ".",
    ]);
    ProgramError::Custom(code)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_framework_error_has_its_name_and_message() {
        for (error, name, message) in FRAMEWORK_ERRORS {
            assert_eq!(error.name(), name);
            assert_eq!(error.message(), message);
            assert_eq!(std::format!("{error:?}"), name);
        }
    }

    #[test]
    fn codes_encode_as_the_runtime_expects() {
        assert_eq!(ProgramError::Custom(0).to_u64(), 1 << 32);
        assert_eq!(ProgramError::Custom(6001).to_u64(), 6001);
        assert_eq!(ProgramError::Custom(6001).custom_code(), Some(6001));
        assert_eq!(ProgramError::InvalidArgument.to_u64(), 2 << 32);
        assert_eq!(ProgramError::InvalidArgument.custom_code(), None);
        assert_eq!(core::mem::size_of::<ProgramResult>(), 8);
    }
}
