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

/// Declares `FrameworkError` and its (code, name) list from one list of variants.
macro_rules! framework_errors {
    ($($variant:ident = $code:literal,)+) => {
        /// Anchor's framework error codes that our account validation raises (only those it
        /// raises), so that Anchor clients and explorers show the same names they show for Anchor
        /// programs. Their messages are Anchor's own (`LangErrorMessage` in its client).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u32)]
        pub enum FrameworkError {
            $($variant = $code,)+
        }

        /// (code, name) of every framework error. Only read at compile time, to pack
        /// [`FRAMEWORK_ERROR_TABLE`].
        const FRAMEWORK_ERRORS: &[(u32, &str)] = &[$(($code, stringify!($variant))),+];

        /// Every framework error, for tests.
        #[cfg(test)]
        const ALL_FRAMEWORK_ERRORS: &[FrameworkError] = &[$(FrameworkError::$variant),+];
    };
}

framework_errors! {
    InstructionMissing = 100,
    InstructionFallbackNotFound = 101,
    InstructionDidNotDeserialize = 102,
    ConstraintSigner = 2002,
    ConstraintSeeds = 2006,
    ConstraintAddress = 2012,
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
    AccountNotInitialized = 3012,
}

const FRAMEWORK_ERROR_TABLE_LEN: usize = packed_error_table_len(FRAMEWORK_ERRORS);

/// The framework errors' names, packed (see [`pack_error_table`]).
static FRAMEWORK_ERROR_TABLE: [u8; FRAMEWORK_ERROR_TABLE_LEN] = pack_error_table(FRAMEWORK_ERRORS);

impl FrameworkError {
    /// The name Anchor clients show.
    pub fn name(self) -> &'static str {
        find_error(&FRAMEWORK_ERROR_TABLE, self as u32)
    }

    /// Logs the error in Anchor's `caused by account` form and returns it. Not inlined: a call
    /// site then only passes the code and the account's name.
    #[inline(never)]
    #[cold]
    pub fn on(self, account: &str) -> ProgramError {
        log_anchor_error(self as u32, &FRAMEWORK_ERROR_TABLE, Some(account))
    }
}

impl From<FrameworkError> for ProgramError {
    /// Logs the error in Anchor's `AnchorError occurred` form, so that clients decode it.
    #[inline(never)]
    #[cold]
    fn from(e: FrameworkError) -> Self {
        log_program_error(e as u32, &FRAMEWORK_ERROR_TABLE)
    }
}

/// Bytes of the packed form of `errors`.
#[allow(clippy::arithmetic_side_effects)] // evaluated at compile time: an overflow fails the build
pub const fn packed_error_table_len(errors: &[(u32, &str)]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < errors.len() {
        len += 3 + errors[i].1.len();
        i += 1;
    }
    len
}

/// Packs (code, name) entries as `code: u16 LE, name length: u8, name`, back to back: 3 bytes of
/// overhead per error where a table of `&str`s takes 24 (the tables are in every program's
/// read-only data). Messages stay out of the program: they are in the IDL, where clients read them
/// (Anchor's own programs log the name as the message when an error has no `#[msg]`, as these do).
/// A code above u16 or a name over 255 bytes fails the build.
#[allow(clippy::arithmetic_side_effects)] // evaluated at compile time: an overflow fails the build
pub const fn pack_error_table<const N: usize>(errors: &[(u32, &str)]) -> [u8; N] {
    assert!(packed_error_table_len(errors) == N, "packed error table length");
    let mut out = [0u8; N];
    let mut at = 0;
    let mut i = 0;
    while i < errors.len() {
        let (code, name) = (errors[i].0, errors[i].1.as_bytes());
        assert!(code <= u16::MAX as u32, "error codes must fit in 16 bits");
        assert!(name.len() <= 255, "error names must fit in 255 bytes");
        out[at] = code as u8;
        out[at + 1] = (code >> 8) as u8;
        out[at + 2] = name.len() as u8;
        at += 3;
        let mut j = 0;
        while j < name.len() {
            out[at] = name[j];
            at += 1;
            j += 1;
        }
        i += 1;
    }
    out
}

/// The name of `code` in a packed table; "Unknown" if absent.
pub fn find_error(table: &'static [u8], code: u32) -> &'static str {
    let mut rest = table;
    while let [lo, hi, name_len, tail @ ..] = rest {
        let Some((name, tail)) = tail.split_at_checked(*name_len as usize) else { break };
        if u32::from(u16::from_le_bytes([*lo, *hi])) == code {
            // SAFETY: `pack_error_table` copied these bytes from whole `&str`s.
            return unsafe { core::str::from_utf8_unchecked(name) };
        }
        rest = tail;
    }
    "Unknown"
}

/// Logs an error in Anchor's `AnchorError occurred` form, its name looked up in a packed `table`,
/// and returns it as a custom error.
#[inline(never)]
#[cold]
pub fn log_program_error(code: u32, table: &'static [u8]) -> ProgramError {
    log_anchor_error(code, table, None)
}

/// Anchor's error line, `caused by account` when an account is named, and the error. The message
/// is the name, as Anchor logs an error declared without `#[msg]`; the IDL has the sentence.
#[inline(never)]
#[cold]
fn log_anchor_error(code: u32, table: &'static [u8], account: Option<&str>) -> ProgramError {
    let name = find_error(table, code);
    let mut line = crate::log::LogLine::default();
    match account {
        Some(account) => line.push("AnchorError caused by account: ").push(account),
        None => line.push("AnchorError occurred"),
    };
    line.push(". Error Code: ").push(name).push(". Error Number: ").push_u32(code);
    line.push(". Error Message: ").push(name).push(".").log();
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
    fn every_framework_error_has_its_name() {
        assert_eq!(ALL_FRAMEWORK_ERRORS.len(), FRAMEWORK_ERRORS.len());
        for (error, (code, name)) in ALL_FRAMEWORK_ERRORS.iter().zip(FRAMEWORK_ERRORS) {
            assert_eq!(*error as u32, *code);
            assert_eq!(error.name(), *name, "the packed table finds it");
            assert_eq!(std::format!("{error:?}"), *name);
        }
    }

    #[test]
    fn packed_tables_find_every_entry_and_nothing_else() {
        const ERRORS: [(u32, &str); 3] = [(6000, "First"), (6001, "Second"), (6500, "Üñí")];
        static TABLE: [u8; packed_error_table_len(&ERRORS)] = pack_error_table(&ERRORS);
        assert_eq!(TABLE.len(), 3 * 3 + "First".len() + "Second".len() + "Üñí".len());
        for (code, name) in ERRORS {
            assert_eq!(find_error(&TABLE, code), name);
        }
        assert_eq!(find_error(&TABLE, 6002), "Unknown");
        assert_eq!(find_error(&[], 6000), "Unknown");
        // a truncated table ends the search instead of reading past it
        assert_eq!(find_error(&TABLE[..10], 6001), "Unknown");
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
