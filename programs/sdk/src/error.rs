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

/// (error, name, message) of every framework error. Only read at compile time, to pack
/// [`FRAMEWORK_ERROR_TABLE`].
const FRAMEWORK_ERRORS: [(u32, &str, &str); 27] = [
    (FrameworkError::InstructionMissing as u32, "InstructionMissing", "Instruction discriminator not provided"),
    (FrameworkError::InstructionFallbackNotFound as u32, "InstructionFallbackNotFound", "Unknown instruction discriminator"),
    (FrameworkError::InstructionDidNotDeserialize as u32, "InstructionDidNotDeserialize", "The instruction data could not be decoded"),
    (FrameworkError::ConstraintMut as u32, "ConstraintMut", "A writable account was expected"),
    (FrameworkError::ConstraintHasOne as u32, "ConstraintHasOne", "The account does not belong to the expected owner or parent"),
    (FrameworkError::ConstraintSigner as u32, "ConstraintSigner", "A signature was expected"),
    (FrameworkError::ConstraintOwner as u32, "ConstraintOwner", "The account is owned by an unexpected program"),
    (FrameworkError::ConstraintSeeds as u32, "ConstraintSeeds", "The account is not the expected program-derived address"),
    (FrameworkError::ConstraintExecutable as u32, "ConstraintExecutable", "An executable program account was expected"),
    (FrameworkError::ConstraintAddress as u32, "ConstraintAddress", "The account is not at the expected address"),
    (FrameworkError::ConstraintZero as u32, "ConstraintZero", "The account was expected to be uninitialized"),
    (FrameworkError::ConstraintTokenMint as u32, "ConstraintTokenMint", "The token account has an unexpected mint"),
    (FrameworkError::ConstraintTokenOwner as u32, "ConstraintTokenOwner", "The token account has an unexpected owner"),
    (FrameworkError::ConstraintMintTokenProgram as u32, "ConstraintMintTokenProgram", "The mint is owned by an unexpected token program"),
    (FrameworkError::RequireKeysNeqViolated as u32, "RequireKeysNeqViolated", "Two accounts that must differ are the same"),
    (FrameworkError::AccountDiscriminatorAlreadySet as u32, "AccountDiscriminatorAlreadySet", "The account is already initialized"),
    (FrameworkError::AccountDiscriminatorNotFound as u32, "AccountDiscriminatorNotFound", "The account has no discriminator"),
    (FrameworkError::AccountDiscriminatorMismatch as u32, "AccountDiscriminatorMismatch", "The account is of another type"),
    (FrameworkError::AccountDidNotDeserialize as u32, "AccountDidNotDeserialize", "The account data could not be decoded"),
    (FrameworkError::AccountNotEnoughKeys as u32, "AccountNotEnoughKeys", "Not enough accounts were given"),
    (FrameworkError::AccountNotMutable as u32, "AccountNotMutable", "The account is not writable"),
    (FrameworkError::AccountOwnedByWrongProgram as u32, "AccountOwnedByWrongProgram", "The account is owned by another program"),
    (FrameworkError::InvalidProgramId as u32, "InvalidProgramId", "Unexpected program id"),
    (FrameworkError::InvalidProgramExecutable as u32, "InvalidProgramExecutable", "The program account is not executable"),
    (FrameworkError::AccountNotSigner as u32, "AccountNotSigner", "The account did not sign"),
    (FrameworkError::AccountNotSystemOwned as u32, "AccountNotSystemOwned", "The account is not owned by the system program"),
    (FrameworkError::AccountNotInitialized as u32, "AccountNotInitialized", "The account is not initialized"),
];

const FRAMEWORK_ERROR_TABLE_LEN: usize = packed_error_table_len(&FRAMEWORK_ERRORS);

/// The framework errors' names and messages, packed (see [`pack_error_table`]).
static FRAMEWORK_ERROR_TABLE: [u8; FRAMEWORK_ERROR_TABLE_LEN] = pack_error_table(&FRAMEWORK_ERRORS);

impl FrameworkError {
    /// The name Anchor clients show.
    pub fn name(self) -> &'static str {
        find_error(&FRAMEWORK_ERROR_TABLE, self as u32).0
    }

    /// What went wrong, in a sentence.
    pub fn message(self) -> &'static str {
        find_error(&FRAMEWORK_ERROR_TABLE, self as u32).1
    }

    /// Logs the error in Anchor's `caused by account` form and returns it.
    #[cold]
    pub fn on(self, account: &str) -> ProgramError {
        let (name, message) = find_error(&FRAMEWORK_ERROR_TABLE, self as u32);
        crate::log::log_parts(&[
            "AnchorError caused by account: ",
            account,
            ". Error Code: ",
            name,
            ". Error Number: ",
            crate::log::U32Text::new(self as u32).as_str(),
            ". Error Message: ",
            message,
            ".",
        ]);
        ProgramError::Custom(self as u32)
    }
}

impl From<FrameworkError> for ProgramError {
    /// Logs the error in Anchor's `AnchorError occurred` form, so that clients decode it.
    #[cold]
    fn from(e: FrameworkError) -> Self {
        log_program_error(e as u32, &FRAMEWORK_ERROR_TABLE)
    }
}

/// Bytes of the packed form of `errors`.
#[allow(clippy::arithmetic_side_effects)] // evaluated at compile time: an overflow fails the build
pub const fn packed_error_table_len(errors: &[(u32, &str, &str)]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < errors.len() {
        len += 4 + errors[i].1.len() + errors[i].2.len();
        i += 1;
    }
    len
}

/// Packs (code, name, message) entries as `code: u16 LE, name length: u8, name, message length: u8,
/// message`, back to back: 4 bytes of overhead per error where a table of `&str`s takes 40 (the
/// tables are in every program's read-only data). A code above u16 or a text over 255 bytes
/// fails the build.
#[allow(clippy::arithmetic_side_effects)] // evaluated at compile time: an overflow fails the build
pub const fn pack_error_table<const N: usize>(errors: &[(u32, &str, &str)]) -> [u8; N] {
    assert!(packed_error_table_len(errors) == N, "packed error table length");
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < errors.len() {
        let (code, name, message) = errors[i];
        assert!(code <= u16::MAX as u32, "error codes must fit in 16 bits");
        assert!(name.len() <= 255 && message.len() <= 255, "error names and messages must fit in 255 bytes");
        out[at] = code as u8;
        out[at + 1] = (code >> 8) as u8;
        at += 2;
        let mut part = 0;
        while part < 2 {
            let text = if part == 0 { name.as_bytes() } else { message.as_bytes() };
            out[at] = text.len() as u8;
            at += 1;
            let mut j = 0;
            while j < text.len() {
                out[at] = text[j];
                at += 1;
                j += 1;
            }
            part += 1;
        }
        i += 1;
    }
    out
}

/// (name, message) of `code` in a packed table; ("Unknown", "") if absent.
pub fn find_error(table: &'static [u8], code: u32) -> (&'static str, &'static str) {
    let mut rest = table;
    while let [lo, hi, name_len, tail @ ..] = rest {
        let (name, tail) = tail.split_at_checked(*name_len as usize).unwrap_or((&[], &[]));
        let Some((message_len, tail)) = tail.split_first() else { break };
        let (message, tail) = tail.split_at_checked(*message_len as usize).unwrap_or((&[], &[]));
        if u32::from(u16::from_le_bytes([*lo, *hi])) == code {
            // SAFETY: `pack_error_table` copied these bytes from whole `&str`s.
            return unsafe { (core::str::from_utf8_unchecked(name), core::str::from_utf8_unchecked(message)) };
        }
        rest = tail;
    }
    ("Unknown", "")
}

/// Logs an error in Anchor's `AnchorError occurred` form, its name and message looked up in a
/// packed `table`, and returns it as a custom error.
#[inline(never)]
#[cold]
pub fn log_program_error(code: u32, table: &'static [u8]) -> ProgramError {
    let (name, message) = find_error(table, code);
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
        let all = [
            FrameworkError::InstructionMissing,
            FrameworkError::InstructionFallbackNotFound,
            FrameworkError::InstructionDidNotDeserialize,
            FrameworkError::ConstraintMut,
            FrameworkError::ConstraintHasOne,
            FrameworkError::ConstraintSigner,
            FrameworkError::ConstraintOwner,
            FrameworkError::ConstraintSeeds,
            FrameworkError::ConstraintExecutable,
            FrameworkError::ConstraintAddress,
            FrameworkError::ConstraintZero,
            FrameworkError::ConstraintTokenMint,
            FrameworkError::ConstraintTokenOwner,
            FrameworkError::ConstraintMintTokenProgram,
            FrameworkError::RequireKeysNeqViolated,
            FrameworkError::AccountDiscriminatorAlreadySet,
            FrameworkError::AccountDiscriminatorNotFound,
            FrameworkError::AccountDiscriminatorMismatch,
            FrameworkError::AccountDidNotDeserialize,
            FrameworkError::AccountNotEnoughKeys,
            FrameworkError::AccountNotMutable,
            FrameworkError::AccountOwnedByWrongProgram,
            FrameworkError::InvalidProgramId,
            FrameworkError::InvalidProgramExecutable,
            FrameworkError::AccountNotSigner,
            FrameworkError::AccountNotSystemOwned,
            FrameworkError::AccountNotInitialized,
        ];
        assert_eq!(all.len(), FRAMEWORK_ERRORS.len());
        for (error, (code, name, message)) in all.into_iter().zip(FRAMEWORK_ERRORS) {
            assert_eq!(error as u32, code);
            assert_eq!(error.name(), name);
            assert_eq!(error.message(), message);
            assert_eq!(std::format!("{error:?}"), name);
        }
    }

    #[test]
    fn packed_tables_find_every_entry_and_nothing_else() {
        const ERRORS: [(u32, &str, &str); 3] = [(6000, "First", "One"), (6001, "Second", ""), (6500, "Üñí", "çødé ✓")];
        static TABLE: [u8; packed_error_table_len(&ERRORS)] = pack_error_table(&ERRORS);
        for (code, name, message) in ERRORS {
            assert_eq!(find_error(&TABLE, code), (name, message));
        }
        assert_eq!(find_error(&TABLE, 6002), ("Unknown", ""));
        assert_eq!(find_error(&[], 6000), ("Unknown", ""));
        // a truncated table ends the search instead of reading past it
        assert_eq!(find_error(&TABLE[..5], 6001), ("Unknown", ""));
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
