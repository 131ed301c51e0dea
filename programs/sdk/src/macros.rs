//! Declarative macros that make each program's Rust source the single source of truth for its
//! wire format: they generate the parsing and validation the program runs, and (with the `idl`
//! feature, on the host) the Anchor IDL that clients, the indexer and explorers read.
//!
//! - [`instruction!`]: an instruction's accounts (with their constraints) and arguments.
//! - [`account!`]: a zero-copy state account.
//! - [`types!`]: borsh structs and unit enums used in arguments, events or state.
//! - [`event!`]: an event.
//! - [`errors!`]: the program's error enum, from 6000.
//! - [`program_idl!`]: the program's IDL, listing the above.

/// Declares an instruction in its own module (file): generates `NAME`, `DISCRIMINATOR`,
/// `Accounts::parse` (count, signer, writable, address and executable checks, each failing with
/// Anchor's error for it and the account's name) and `Args::parse` (borsh, no trailing bytes).
///
/// Account flags: `writable`, `signer`, `optional` (absent when the program id is passed, as in
/// Anchor), `address(EXPR)`, `executable`, and `event_cpi(EXPR)` for the event authority and program
/// accounts of Anchor's `emit_cpi`: the IDL gets the address like `address`, and the check is left to
/// `Event::emit_cpi`, which makes it before signing (one check in the program, not one per
/// instruction; an instruction that declares them always emits).
///
/// ```ignore
/// sdk::instruction! {
///     /// Opens an escrow.
///     open_escrow {
///         accounts {
///             /// Funds the escrow.
///             client: [writable signer],
///             system_program: [address(sdk::cpi::system::ID)],
///         }
///         args {
///             amount: u64,
///         }
///     }
/// }
/// ```
#[macro_export]
macro_rules! instruction {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            accounts {
                $( $(#[doc = $adoc:literal])* $acc:ident : [ $($flag:tt)* ] ),+ $(,)?
            }
            args {
                $( $(#[doc = $fdoc:literal])* $arg:ident : $aty:ty ),* $(,)?
            }
        }
    ) => {
        /// The instruction's name in the IDL.
        pub const NAME: &str = stringify!($name);
        /// sha256("global:<name>")[..8]
        pub const DISCRIMINATOR: [u8; 8] = $crate::hash::discriminator(concat!("global:", stringify!($name)));
        /// The discriminator as a little-endian u64, for dispatch.
        pub const DISCRIMINATOR_U64: u64 = u64::from_le_bytes(DISCRIMINATOR);

        /// The accounts, in order, validated for count and the declared flags.
        #[allow(dead_code)]
        pub struct Accounts<'a> {
            $( $(#[doc = $adoc])* pub $acc: $crate::instruction!(@field_ty [$($flag)*]), )+
            /// Accounts after the declared ones.
            pub remaining: &'a [$crate::AccountView],
        }

        impl<'a> Accounts<'a> {
            /// Takes the accounts by position and checks the declared flags.
            #[inline(always)]
            pub fn parse(program_id: &$crate::Pubkey, accounts: &'a [$crate::AccountView]) -> Result<Self, $crate::ProgramError> {
                let _ = program_id;
                let [$($acc,)+ remaining @ ..] = accounts else {
                    return Err($crate::error::FrameworkError::AccountNotEnoughKeys.into());
                };
                $( let $acc = $crate::instruction!(@bind program_id $acc [$($flag)*]); )+
                $( $crate::instruction!(@check $acc [$($flag)*]); )+
                Ok(Accounts { $($acc,)+ remaining })
            }
        }

        /// The arguments (borsh, after the discriminator).
        #[allow(dead_code)]
        pub struct Args<'a> {
            $( $(#[doc = $fdoc])* pub $arg: $aty, )*
            _data: core::marker::PhantomData<&'a [u8]>,
        }

        impl<'a> Args<'a> {
            /// Decodes the arguments from the data after the discriminator; trailing bytes fail.
            #[inline(always)]
            pub fn parse(data: &'a [u8]) -> Result<Self, $crate::ProgramError> {
                // all fixed-size: one length check, and the per-field checks below compile away
                let fixed = const { $crate::borsh::fixed_size(&[$(<$aty as $crate::borsh::BorshRead<'a>>::FIXED_SIZE),*]) };
                if let Some(size) = fixed {
                    if data.len() != size {
                        return Err($crate::error::FrameworkError::InstructionDidNotDeserialize.into());
                    }
                }
                #[allow(unused_mut)]
                let mut reader = $crate::borsh::Reader::new(data);
                $( let $arg = <$aty as $crate::borsh::BorshRead>::read(&mut reader)?; )*
                reader.finish()?;
                Ok(Args { $($arg,)* _data: core::marker::PhantomData })
            }
        }

        /// This instruction's IDL entry.
        #[cfg(feature = "idl")]
        pub fn idl<'a>(registry: &mut $crate::idl::Registry) -> $crate::idl::Instruction {
            $crate::idl::Instruction {
                name: NAME,
                docs: $crate::idl::docs(&[$($doc),*]),
                discriminator: DISCRIMINATOR,
                accounts: $crate::idl::vec![$({
                    #[allow(unused_mut)]
                    let mut item = $crate::idl::InstructionAccount::new(stringify!($acc), $crate::idl::docs(&[$($adoc),*]));
                    $crate::instruction!(@idl item [$($flag)*]);
                    item
                }),+],
                args: $crate::idl::vec![$(
                    $crate::idl::Field::new(stringify!($arg), $crate::idl::docs(&[$($fdoc),*]), $crate::idl::type_of::<$aty>(stringify!($aty), registry))
                ),*],
            }
        }
    };

    (@field_ty [optional $($rest:tt)*]) => { Option<&'a $crate::AccountView> };
    (@field_ty [$first:tt $($rest:tt)*]) => { $crate::instruction!(@field_ty [$($rest)*]) };
    (@field_ty []) => { &'a $crate::AccountView };

    (@bind $pid:ident $acc:ident [optional $($rest:tt)*]) => { $crate::account::optional($acc, $pid) };
    (@bind $pid:ident $acc:ident [$first:tt $($rest:tt)*]) => { $crate::instruction!(@bind $pid $acc [$($rest)*]) };
    (@bind $pid:ident $acc:ident []) => { $acc };

    (@check $acc:ident [$($flag:tt)*]) => { $crate::instruction!(@check_scan $acc [$($flag)*] [$($flag)*]); };
    (@check_scan $acc:ident [optional $($rest:tt)*] [$($all:tt)*]) => {
        if let Some(present) = $acc {
            $crate::instruction!(@check_present present $acc [$($all)*]);
        }
    };
    (@check_scan $acc:ident [$first:tt $($rest:tt)*] [$($all:tt)*]) => { $crate::instruction!(@check_scan $acc [$($rest)*] [$($all)*]); };
    (@check_scan $acc:ident [] [$($all:tt)*]) => { $crate::instruction!(@check_present $acc $acc [$($all)*]); };
    (@check_present $view:ident $acc:ident [signer $($rest:tt)*]) => {
        if !$view.is_signer() {
            return Err($crate::error::FrameworkError::AccountNotSigner.on(stringify!($acc)));
        }
        $crate::instruction!(@check_present $view $acc [$($rest)*]);
    };
    (@check_present $view:ident $acc:ident [writable $($rest:tt)*]) => {
        if !$view.is_writable() {
            return Err($crate::error::FrameworkError::AccountNotMutable.on(stringify!($acc)));
        }
        $crate::instruction!(@check_present $view $acc [$($rest)*]);
    };
    (@check_present $view:ident $acc:ident [address($addr:expr) $($rest:tt)*]) => {
        $crate::account::require_address($view, &$addr, stringify!($acc))?;
        $crate::instruction!(@check_present $view $acc [$($rest)*]);
    };
    (@check_present $view:ident $acc:ident [event_cpi($addr:expr) $($rest:tt)*]) => {
        // checked by `Event::emit_cpi`; named here so the address stays in use outside the IDL
        let _: &$crate::Pubkey = &$addr;
        $crate::instruction!(@check_present $view $acc [$($rest)*]);
    };
    (@check_present $view:ident $acc:ident [executable $($rest:tt)*]) => {
        if !$view.executable() {
            return Err($crate::error::FrameworkError::InvalidProgramExecutable.on(stringify!($acc)));
        }
        $crate::instruction!(@check_present $view $acc [$($rest)*]);
    };
    (@check_present $view:ident $acc:ident [optional $($rest:tt)*]) => {
        $crate::instruction!(@check_present $view $acc [$($rest)*]);
    };
    (@check_present $view:ident $acc:ident []) => {};

    (@idl $item:ident [signer $($rest:tt)*]) => { $item.signer = true; $crate::instruction!(@idl $item [$($rest)*]); };
    (@idl $item:ident [writable $($rest:tt)*]) => { $item.writable = true; $crate::instruction!(@idl $item [$($rest)*]); };
    (@idl $item:ident [optional $($rest:tt)*]) => { $item.optional = true; $crate::instruction!(@idl $item [$($rest)*]); };
    (@idl $item:ident [address($addr:expr) $($rest:tt)*]) => {
        $item.address = Some($crate::idl::base58(&$addr));
        $crate::instruction!(@idl $item [$($rest)*]);
    };
    (@idl $item:ident [event_cpi($addr:expr) $($rest:tt)*]) => {
        $item.address = Some($crate::idl::base58(&$addr));
        $crate::instruction!(@idl $item [$($rest)*]);
    };
    (@idl $item:ident [executable $($rest:tt)*]) => { $crate::instruction!(@idl $item [$($rest)*]); };
    (@idl $item:ident []) => {};
}

/// Declares a zero-copy account type: `#[repr(C)]`, alignment 1 (fields are `Pod`: byte arrays,
/// `u8`, `sdk::state::{U16, U32, U64, I64, U128, Bool, Enum<T>}` or other `types!` Pod structs),
/// with `AccountState` (discriminator, `LEN`, checked `load`/`load_mut`/`init`).
#[macro_export]
macro_rules! account {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $( $(#[doc = $fdoc:literal])* pub $field:ident : $fty:ty ),* $(,)?
        }
    ) => {
        $crate::types! {
            @pod
            $(#[doc = $doc])*
            pub struct $name {
                $( $(#[doc = $fdoc])* pub $field : $fty ),*
            }
        }

        impl $crate::state::AccountState for $name {
            const DISCRIMINATOR: [u8; 8] = $crate::hash::discriminator(concat!("account:", stringify!($name)));
        }

        #[cfg(feature = "idl")]
        impl $name {
            /// The IDL `accounts` entry (its type goes to `types`).
            pub fn idl_account(registry: &mut $crate::idl::Registry) -> $crate::idl::Named {
                <$name as $crate::idl::IdlType>::register(registry);
                $crate::idl::Named { name: stringify!($name), discriminator: <$name as $crate::state::AccountState>::DISCRIMINATOR }
            }
        }
    };
}

/// Declares borsh types for arguments, events and state: structs (`pub struct X { pub a: T }`)
/// and unit enums (`pub enum E { A, B }`, encoded as one byte). With `@pod` first, a struct is
/// also `Pod` (`#[repr(C)]`, every field `Pod`), for use inside accounts.
#[macro_export]
macro_rules! types {
    () => {};
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident $(<$lt:lifetime>)? { $( $(#[doc = $fdoc:literal])* pub $field:ident : $fty:ty ),* $(,)? }
        $($rest:tt)*
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy)]
        pub struct $name $(<$lt>)? { $( $(#[doc = $fdoc])* pub $field: $fty, )* }
        $crate::types!(@borsh $name [$($lt)?] { $($field : $fty),* });
        $crate::types!(@idl_struct $name [$($lt)?] [$($doc),*] { $( [$($fdoc),*] $field : $fty ),* });
        $crate::types!($($rest)*);
    };
    (
        @pod
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $( $(#[doc = $fdoc:literal])* pub $field:ident : $fty:ty ),* $(,)? }
        $($rest:tt)*
    ) => {
        $(#[doc = $doc])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name { $( $(#[doc = $fdoc])* pub $field: $fty, )* }
        // SAFETY: repr(C) of Pod fields (asserted below) with alignment 1 has no padding.
        unsafe impl $crate::state::Pod for $name {}
        const _: () = {
            const fn field_is_pod<T: $crate::state::Pod>() {}
            $( field_is_pod::<$fty>(); )*
            assert!(core::mem::align_of::<$name>() == 1);
        };
        impl<'a> $crate::borsh::BorshRead<'a> for $name {
            // a Pod struct: its encoding is its memory
            const FIXED_SIZE: Option<usize> = Some(core::mem::size_of::<$name>());
            fn read(r: &mut $crate::borsh::Reader<'a>) -> Result<Self, $crate::ProgramError> {
                Ok($name { $( $field: <$fty as $crate::borsh::BorshRead>::read(r)?, )* })
            }
        }
        impl $crate::borsh::BorshWrite for $name {
            // `Pod` fields whose memory is their encoding make a struct whose memory is its encoding
            const PLAIN: bool = true $( && <$fty as $crate::borsh::BorshWrite>::PLAIN )*;
            fn write(&self, w: &mut $crate::borsh::Writer) {
                if <Self as $crate::borsh::BorshWrite>::PLAIN {
                    // SAFETY: repr(C) of Pod fields with alignment 1 (asserted above): no padding.
                    w.put(unsafe { $crate::borsh::plain_bytes(self) });
                } else {
                    $( $crate::borsh::BorshWrite::write(&self.$field, w); )*
                }
            }
        }
        impl $crate::borsh::BorshSize for $name {
            const SIZE: usize = 0 $( + <$fty as $crate::borsh::BorshSize>::SIZE )*;
        }
        $crate::types!(@idl_struct $name [] [$($doc),*] { $( [$($fdoc),*] $field : $fty ),* });
        $crate::types!($($rest)*);
    };
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident ),+ $(,)? }
        $($rest:tt)*
    ) => {
        $(#[doc = $doc])*
        #[repr(u8)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $( $(#[doc = $vdoc])* $variant, )+ }
        impl $crate::state::UnitEnum for $name {
            const VARIANTS: &'static [Self] = &[$($name::$variant),+];
        }
        impl From<$name> for u8 {
            fn from(value: $name) -> u8 {
                value as u8
            }
        }
        impl<'a> $crate::borsh::BorshRead<'a> for $name {
            const FIXED_SIZE: Option<usize> = Some(1);
            fn read(r: &mut $crate::borsh::Reader<'a>) -> Result<Self, $crate::ProgramError> {
                let tag = <u8 as $crate::borsh::BorshRead>::read(r)?;
                <$name as $crate::state::UnitEnum>::from_u8(tag)
                    .ok_or_else(|| $crate::error::FrameworkError::InstructionDidNotDeserialize.into())
            }
        }
        impl $crate::borsh::BorshWrite for $name {
            // repr(u8) without fields: the tag byte is the encoding
            const PLAIN: bool = true;
            fn write(&self, w: &mut $crate::borsh::Writer) {
                w.put(&[*self as u8]);
            }
        }
        impl $crate::borsh::BorshSize for $name {
            const SIZE: usize = 1;
        }
        #[cfg(feature = "idl")]
        impl $crate::idl::IdlType for $name {
            fn idl_type(registry: &mut $crate::idl::Registry) -> $crate::idl::Type {
                <$name as $crate::idl::IdlType>::register(registry);
                $crate::idl::Type::Defined(stringify!($name))
            }
            fn register(registry: &mut $crate::idl::Registry) {
                registry.add($crate::idl::TypeDef {
                    name: stringify!($name),
                    docs: $crate::idl::docs(&[$($doc),*]),
                    kind: $crate::idl::TypeKind::Enum($crate::idl::vec![$(stringify!($variant)),+]),
                });
            }
        }
        $crate::types!($($rest)*);
    };

    (@borsh $name:ident [$($lt:lifetime)?] { $($field:ident : $fty:ty),* }) => {
        impl<'a> $crate::borsh::BorshRead<'a> for $name $(<$lt>)? {
            const FIXED_SIZE: Option<usize> = $crate::borsh::fixed_size(&[$(<$fty as $crate::borsh::BorshRead<'a>>::FIXED_SIZE),*]);
            fn read(r: &mut $crate::borsh::Reader<'a>) -> Result<Self, $crate::ProgramError> {
                Ok($name { $( $field: <$fty as $crate::borsh::BorshRead>::read(r)?, )* })
            }
        }
        impl $(<$lt>)? $crate::borsh::BorshWrite for $name $(<$lt>)? {
            fn write(&self, w: &mut $crate::borsh::Writer) {
                $( $crate::borsh::BorshWrite::write(&self.$field, w); )*
            }
        }
        impl $(<$lt>)? $crate::borsh::BorshSize for $name $(<$lt>)? {
            const SIZE: usize = 0 $( + <$fty as $crate::borsh::BorshSize>::SIZE )*;
        }
    };
    (@idl_struct $name:ident [$($lt:lifetime)?] [$($doc:literal),*] { $( [$($fdoc:literal),*] $field:ident : $fty:ty ),* }) => {
        #[cfg(feature = "idl")]
        impl $(<$lt>)? $crate::idl::IdlType for $name $(<$lt>)? {
            fn idl_type(registry: &mut $crate::idl::Registry) -> $crate::idl::Type {
                <Self as $crate::idl::IdlType>::register(registry);
                $crate::idl::Type::Defined(stringify!($name))
            }
            fn register(registry: &mut $crate::idl::Registry) {
                if registry.contains(stringify!($name)) {
                    return;
                }
                let fields = $crate::idl::vec![$(
                    $crate::idl::Field::new(stringify!($field), $crate::idl::docs(&[$($fdoc),*]), $crate::idl::type_of::<$fty>(stringify!($fty), registry))
                ),*];
                registry.add($crate::idl::TypeDef {
                    name: stringify!($name),
                    docs: $crate::idl::docs(&[$($doc),*]),
                    kind: $crate::idl::TypeKind::Struct(fields),
                });
            }
        }
    };
}

/// Declares an event: a borsh struct with `Event` (discriminator, `emit`, `emit_cpi`). Events are
/// the indexer's contract: make each one self-contained (ids, parties, amounts, resulting totals).
#[macro_export]
macro_rules! event {
    ($(
        $(#[doc = $doc:literal])*
        pub struct $name:ident $(<$lt:lifetime>)? { $( $(#[doc = $fdoc:literal])* pub $field:ident : $fty:ty ),* $(,)? }
    )+) => {$(
        $(#[doc = $doc])*
        ///
        /// `repr(C, packed)` behind its discriminator: when every field's memory is its borsh
        /// encoding, the event's memory is what is logged, and it is logged where it was built.
        /// Read fields by value (no references into a packed struct).
        #[repr(C, packed)]
        #[derive(Clone, Copy)]
        pub struct $name $(<$lt>)? {
            /// `Discriminator::EVENT`: first in memory, not a borsh field.
            pub discriminator: $crate::event::Discriminator<Self>,
            $( $(#[doc = $fdoc])* pub $field: $fty, )*
        }

        impl<'a> $crate::borsh::BorshRead<'a> for $name $(<$lt>)? {
            fn read(r: &mut $crate::borsh::Reader<'a>) -> Result<Self, $crate::ProgramError> {
                Ok($name { discriminator: $crate::event::Discriminator::EVENT, $( $field: <$fty as $crate::borsh::BorshRead>::read(r)?, )* })
            }
        }
        impl $(<$lt>)? $crate::borsh::BorshWrite for $name $(<$lt>)? {
            fn write(&self, w: &mut $crate::borsh::Writer) {
                // copies: fields of a packed struct cannot be borrowed in place
                $( { let value = self.$field; $crate::borsh::BorshWrite::write(&value, w); } )*
            }
        }
        impl $(<$lt>)? $crate::borsh::BorshSize for $name $(<$lt>)? {
            const SIZE: usize = 0 $( + <$fty as $crate::borsh::BorshSize>::SIZE )*;
        }
        $crate::types!(@idl_struct $name [$($lt)?] [$($doc),*] { $( [$($fdoc),*] $field : $fty ),* });

        impl $(<$lt>)? $crate::event::Event for $name $(<$lt>)? {
            const DISCRIMINATOR: [u8; 8] = $crate::hash::discriminator(concat!("event:", stringify!($name)));
            const IN_PLACE: bool = true $( && <$fty as $crate::borsh::BorshWrite>::PLAIN )*;
            const FIELDS: &'static [$crate::event::FieldMemory] = &[$(
                {
                    // the encoder copies every other field's memory as its encoding
                    assert!(<$fty as $crate::borsh::BorshWrite>::PLAIN || <$fty as $crate::borsh::BorshWrite>::IS_SLICE, "event fields must be plain or Slice");
                    $crate::event::FieldMemory {
                        offset: core::mem::offset_of!(Self, $field) as u16,
                        size: core::mem::size_of::<$fty>() as u16,
                        slice: <$fty as $crate::borsh::BorshWrite>::IS_SLICE,
                    }
                }
            ),*];
        }
        #[cfg(feature = "idl")]
        impl $(<$lt>)? $name $(<$lt>)? {
            /// The IDL `events` entry (its type goes to `types`).
            pub fn idl_event(registry: &mut $crate::idl::Registry) -> $crate::idl::Named {
                <Self as $crate::idl::IdlType>::register(registry);
                $crate::idl::Named { name: stringify!($name), discriminator: <Self as $crate::event::Event>::DISCRIMINATOR }
            }
        }
    )+};
}

/// Declares the program's errors. Each converts into `ProgramError::Custom(code)` and logs
/// Anchor's `AnchorError occurred. Error Code: ... Error Message: ...` line (a compile-time string),
/// so Anchor clients raise an `AnchorError` with the name and message.
#[macro_export]
macro_rules! errors {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $code:literal => $msg:literal ),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[repr(u32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $( $(#[doc = $vdoc])* $variant = $code, )+ }

        impl $name {
            /// (code, name, message) of every error, for the IDL and tests.
            pub const ALL: &'static [(u32, &'static str, &'static str)] = &[$(($code, stringify!($variant), $msg)),+];
            /// (code, name) of every error: what the program itself keeps (messages live in the IDL).
            pub const NAMES: &'static [(u32, &'static str)] = &[$(($code, stringify!($variant))),+];
        }

        impl From<$name> for $crate::ProgramError {
            /// Logs Anchor's `AnchorError occurred` line from the table of names (one shared, cold
            /// function instead of a line per error at every call site) and returns the custom code.
            #[inline(never)]
            #[cold]
            fn from(e: $name) -> Self {
                const LEN: usize = $crate::error::packed_error_table_len(<$name>::NAMES);
                static TABLE: [u8; LEN] = $crate::error::pack_error_table(<$name>::NAMES);
                $crate::error::log_program_error(e as u32, &TABLE)
            }
        }
    };
}

/// Declares the program's IDL (host, `idl` feature): `program_idl! { name: "escrow", ... }`.
/// `crate::ID` is the calling program's id, on purpose.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! program_idl {
    (
        name: $pname:literal,
        docs: [$($doc:literal),* $(,)?],
        instructions: [$($($ix:ident)::+),* $(,)?],
        accounts: [$($acc:ty),* $(,)?],
        events: [$($ev:ty),* $(,)?],
        errors: $err:ty,
        types: [$($ty:ty),* $(,)?] $(,)?
    ) => {
        /// This program's Anchor IDL.
        #[cfg(feature = "idl")]
        pub fn idl() -> $crate::idl::Idl {
            let mut registry = $crate::idl::Registry::default();
            let instructions = $crate::idl::vec![$( $($ix)::+::idl(&mut registry) ),*];
            let accounts = $crate::idl::vec![$( <$acc>::idl_account(&mut registry) ),*];
            let events = $crate::idl::vec![$( <$ev>::idl_event(&mut registry) ),*];
            $( <$ty as $crate::idl::IdlType>::register(&mut registry); )*
            $crate::idl::Idl {
                address: $crate::idl::base58(&crate::ID),
                name: $pname,
                version: env!("CARGO_PKG_VERSION"),
                docs: $crate::idl::docs(&[$($doc),*]),
                instructions,
                accounts,
                events,
                errors: <$err>::ALL.to_vec(),
                types: registry.into_types(),
            }
        }
    };
}

#[cfg(test)]
// the test instructions' accounts, discriminators and IDL helpers go unused
#[allow(dead_code, clippy::extra_unused_lifetimes)]
mod tests {
    use crate::error::{FrameworkError, ProgramError};

    mod fixed {
        crate::instruction! {
            fixed_args {
                accounts { only: [] }
                args { amount: u64, key: &'a crate::Pubkey, flag: bool }
            }
        }
    }

    mod variable {
        crate::instruction! {
            variable_args {
                accounts { only: [] }
                args { amount: u64, items: crate::borsh::Slice<'a, u16> }
            }
        }
    }

    fn did_not_deserialize() -> Option<ProgramError> {
        Some(FrameworkError::InstructionDidNotDeserialize.into())
    }

    #[test]
    fn fixed_size_arguments_take_exactly_their_length() {
        let mut data = [7u8; 41];
        data[40] = 1;
        let args = fixed::Args::parse(&data).unwrap();
        assert_eq!((args.amount, args.key, args.flag), (u64::from_le_bytes([7; 8]), &[7u8; 32], true));
        assert_eq!(fixed::Args::parse(&data[..40]).err(), did_not_deserialize());
        assert_eq!(fixed::Args::parse(&[data.as_slice(), &[0]].concat()).err(), did_not_deserialize());
        // the per-field checks still run: a bool other than 0 or 1 is refused
        data[40] = 2;
        assert_eq!(fixed::Args::parse(&data).err(), did_not_deserialize());
    }

    #[test]
    fn variable_size_arguments_refuse_short_and_trailing_data() {
        let data = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 5, 0, 6, 0];
        let args = variable::Args::parse(&data).unwrap();
        assert_eq!((args.amount, args.items.len()), (1, 2));
        assert_eq!(variable::Args::parse(&data[..15]).err(), did_not_deserialize());
        assert_eq!(variable::Args::parse(&[data.as_slice(), &[0]].concat()).err(), did_not_deserialize());
    }
}
