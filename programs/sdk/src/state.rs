//! Zero-copy program state: `#[repr(C)]` structs of alignment-1 fields behind an 8-byte Anchor
//! discriminator. The byte layout equals borsh for these field types, so Anchor's TypeScript
//! coder decodes the accounts from the IDL.

use crate::account::{AccountView, Ref, RefMut};
use crate::error::{FrameworkError, ProgramError};
use crate::pubkey::Pubkey;

/// Plain old data: alignment 1, every byte pattern valid, no padding.
///
/// # Safety
/// Implement only for such types (the `account!` and `types!` macros do it for their structs,
/// whose fields are all `Pod`, and assert the alignment at compile time).
pub unsafe trait Pod: Sized {}

// SAFETY: arrays of Pod items are Pod (alignment 1, no padding between items).
unsafe impl<T: Pod, const N: usize> Pod for [T; N] {}
// SAFETY: as above.
unsafe impl Pod for u8 {}

macro_rules! le_int {
    ($name:ident, $t:ty, $n:literal) => {
        /// A little-endian integer stored as bytes (alignment 1).
        #[repr(transparent)]
        #[derive(Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name([u8; $n]);

        impl $name {
            pub const fn new(v: $t) -> Self {
                $name(v.to_le_bytes())
            }
            #[inline(always)]
            pub const fn get(&self) -> $t {
                <$t>::from_le_bytes(self.0)
            }
            #[inline(always)]
            pub fn set(&mut self, v: $t) {
                self.0 = v.to_le_bytes();
            }
            /// Adds `v`, failing on overflow (nothing is written then).
            #[inline(always)]
            pub fn checked_add_assign(&mut self, v: $t) -> Result<(), ProgramError> {
                self.set(self.get().checked_add(v).ok_or(ProgramError::ArithmeticOverflow)?);
                Ok(())
            }
            /// Subtracts `v`, failing on underflow (nothing is written then).
            #[inline(always)]
            pub fn checked_sub_assign(&mut self, v: $t) -> Result<(), ProgramError> {
                self.set(self.get().checked_sub(v).ok_or(ProgramError::ArithmeticOverflow)?);
                Ok(())
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                self.get().fmt(f)
            }
        }

        // SAFETY: a byte array newtype.
        unsafe impl Pod for $name {}

        impl<'a> crate::borsh::BorshRead<'a> for $name {
            const FIXED_SIZE: Option<usize> = Some($n);
            fn read(r: &mut crate::borsh::Reader<'a>) -> Result<Self, ProgramError> {
                Ok($name(r.array()?))
            }
        }
        impl crate::borsh::BorshWrite for $name {
            const PLAIN: bool = true;
            fn write(&self, w: &mut crate::borsh::Writer) {
                w.put(&self.0);
            }
        }
        impl crate::borsh::BorshSize for $name {
            const SIZE: usize = $n;
        }
    };
}
le_int!(U16, u16, 2);
le_int!(U32, u32, 4);
le_int!(U64, u64, 8);
le_int!(I64, i64, 8);
le_int!(U128, u128, 16);

/// A bool stored as one byte; any non-zero byte reads as true, so every byte pattern is valid.
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Bool(u8);

impl Bool {
    pub const fn new(v: bool) -> Self {
        Bool(v as u8)
    }
    pub const fn get(&self) -> bool {
        self.0 != 0
    }
    pub fn set(&mut self, v: bool) {
        self.0 = v as u8;
    }
}
// SAFETY: one byte, any value valid.
unsafe impl Pod for Bool {}
impl<'a> crate::borsh::BorshRead<'a> for Bool {
    const FIXED_SIZE: Option<usize> = Some(1);
    fn read(r: &mut crate::borsh::Reader<'a>) -> Result<Self, ProgramError> {
        Ok(Bool::new(bool::read(r)?))
    }
}
impl crate::borsh::BorshWrite for Bool {
    const PLAIN: bool = true;
    fn write(&self, w: &mut crate::borsh::Writer) {
        w.put(&[self.get() as u8]);
    }
}
impl crate::borsh::BorshSize for Bool {
    const SIZE: usize = 1;
}

/// `items.copy_within(src, dest)` that fails with `InvalidAccountData` where `copy_within`
/// panics (a range outside `items`): no panic path and its location strings in the program (about
/// 150 bytes a call site on SBPF). Used on account data whose lengths were checked at load, so the
/// error is unreachable in practice.
pub fn copy_within<T: Pod>(items: &mut [T], src: core::ops::Range<usize>, dest: usize) -> Result<(), ProgramError> {
    let count = src.end.checked_sub(src.start).ok_or(ProgramError::InvalidAccountData)?;
    let fits = |start: usize| start.checked_add(count).is_some_and(|end| end <= items.len());
    if !fits(src.start) || !fits(dest) {
        return Err(ProgramError::InvalidAccountData);
    }
    // SAFETY: both ranges lie inside `items` (checked above); `ptr::copy` allows them to overlap.
    unsafe { core::ptr::copy(items.as_ptr().add(src.start), items.as_mut_ptr().add(dest), count) };
    Ok(())
}

/// Views a byte slice as a `Pod` value.
pub fn from_bytes<T: Pod>(bytes: &[u8]) -> Option<&T> {
    if bytes.len() != core::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: `T: Pod` has alignment 1 and accepts any bytes; the length matches.
    Some(unsafe { &*(bytes.as_ptr() as *const T) })
}

/// Views a mutable byte slice as a `Pod` value.
pub fn from_bytes_mut<T: Pod>(bytes: &mut [u8]) -> Option<&mut T> {
    if bytes.len() != core::mem::size_of::<T>() {
        return None;
    }
    // SAFETY: as in `from_bytes`, and the borrow is unique.
    Some(unsafe { &mut *(bytes.as_mut_ptr() as *mut T) })
}

/// A program account type: discriminator, then the `Pod` struct.
pub trait AccountState: Pod {
    /// sha256("account:<Name>")[..8]
    const DISCRIMINATOR: [u8; 8];
    /// Total data length.
    const LEN: usize = 8 + core::mem::size_of::<Self>();

    /// What the non-generic loaders check for this type.
    const LAYOUT: Layout = Layout { discriminator: Self::DISCRIMINATOR, len: Self::LEN };

    /// Borrows an initialized account of this type owned by `program_id`. Checks owner, length and
    /// discriminator, which rules out type cosplay (another account type of ours) and foreign data.
    #[inline(always)]
    fn load<'a>(account: &'a AccountView, program_id: &Pubkey) -> Result<Ref<'a, Self>, ProgramError> {
        let data = load_data(account, program_id, &Self::LAYOUT)?;
        // SAFETY: `load_data` checked the length: LEN - 8 bytes of state follow the discriminator,
        // and `Self: Pod` has alignment 1 and accepts any bytes.
        Ok(Ref::map(data, |d| unsafe { &*(d.as_ptr().add(8) as *const Self) }))
    }

    /// As `load`, for writing; the account must be writable.
    #[inline(always)]
    fn load_mut<'a>(account: &'a AccountView, program_id: &Pubkey) -> Result<RefMut<'a, Self>, ProgramError> {
        let data = load_data_mut(account, program_id, &Self::LAYOUT)?;
        // SAFETY: as in `load`, and the borrow is exclusive.
        Ok(RefMut::map(data, |d| unsafe { &mut *(d.as_mut_ptr().add(8) as *mut Self) }))
    }

    /// Writes the discriminator into a freshly created account (owned by `program_id`, of length
    /// `LEN`, all zero) and returns the zeroed state. An account that already carries any
    /// discriminator is refused: no reinitialization.
    #[inline(always)]
    fn init<'a>(account: &'a AccountView, program_id: &Pubkey) -> Result<RefMut<'a, Self>, ProgramError> {
        let data = init_data(account, program_id, &Self::LAYOUT)?;
        // SAFETY: as in `load_mut`.
        Ok(RefMut::map(data, |d| unsafe { &mut *(d.as_mut_ptr().add(8) as *mut Self) }))
    }
}

/// An account type as the loaders check it. The checks are not generic, so a program has one copy
/// of each rather than one per account type.
pub struct Layout {
    pub discriminator: [u8; 8],
    /// Total data length (discriminator included).
    pub len: usize,
}

/// The data of an initialized account of `layout` owned by `program_id`, borrowed.
#[inline(never)]
pub fn load_data<'a>(account: &'a AccountView, program_id: &Pubkey, layout: &Layout) -> Result<Ref<'a, [u8]>, ProgramError> {
    check_owner(account, program_id)?;
    let data = account.try_borrow_data()?;
    check_discriminator(&data, layout)?;
    Ok(data)
}

/// As [`load_data`], borrowed exclusively; the account must be writable.
#[inline(never)]
pub fn load_data_mut<'a>(account: &'a AccountView, program_id: &Pubkey, layout: &Layout) -> Result<RefMut<'a, [u8]>, ProgramError> {
    check_owner(account, program_id)?;
    if !account.is_writable() {
        return Err(FrameworkError::AccountNotMutable.into());
    }
    let data = account.try_borrow_mut_data()?;
    check_discriminator(&data, layout)?;
    Ok(data)
}

/// The data of a fresh account (owned by `program_id`, `layout.len` zero bytes) with the
/// discriminator written, borrowed exclusively. Any discriminator already there is refused.
#[inline(never)]
pub fn init_data<'a>(account: &'a AccountView, program_id: &Pubkey, layout: &Layout) -> Result<RefMut<'a, [u8]>, ProgramError> {
    check_owner(account, program_id)?;
    let mut data = account.try_borrow_mut_data()?;
    if data.len() != layout.len {
        return Err(FrameworkError::AccountDidNotDeserialize.into());
    }
    let (discriminator, _) = data.split_first_chunk_mut::<8>().ok_or_else::<ProgramError, _>(|| FrameworkError::AccountDidNotDeserialize.into())?;
    if *discriminator != [0u8; 8] {
        return Err(FrameworkError::AccountDiscriminatorAlreadySet.into());
    }
    *discriminator = layout.discriminator;
    Ok(data)
}

/// Fails unless `program_id` owns `account`, telling a missing account (no lamports, or still the
/// system program's) from another program's, as Anchor does (`AccountNotInitialized`,
/// `AccountOwnedByWrongProgram`). The loaders start with it; accounts read without a loader (a
/// batch log's variable-length data) call it directly.
#[inline(never)]
pub fn check_owner(account: &AccountView, program_id: &Pubkey) -> Result<(), ProgramError> {
    if account.is_owned_by(program_id) {
        Ok(())
    } else if account.lamports() == 0 || account.is_owned_by(&crate::cpi::system::ID) {
        Err(FrameworkError::AccountNotInitialized.into())
    } else {
        Err(FrameworkError::AccountOwnedByWrongProgram.into())
    }
}

fn check_discriminator(data: &[u8], layout: &Layout) -> Result<(), ProgramError> {
    let Some((discriminator, _)) = data.split_first_chunk::<8>() else {
        return Err(FrameworkError::AccountDiscriminatorNotFound.into());
    };
    if *discriminator != layout.discriminator {
        return Err(FrameworkError::AccountDiscriminatorMismatch.into());
    }
    if data.len() != layout.len {
        return Err(FrameworkError::AccountDidNotDeserialize.into());
    }
    Ok(())
}

/// A unit enum encoded as one byte (declared with `types!`).
pub trait UnitEnum: Copy + 'static {
    const VARIANTS: &'static [Self];
    fn from_u8(tag: u8) -> Option<Self> {
        Self::VARIANTS.get(tag as usize).copied()
    }
}

/// A unit enum stored in state as its one-byte tag; reading an unknown tag fails instead of
/// producing an invalid enum value.
#[repr(transparent)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Enum<T> {
    tag: u8,
    _marker: core::marker::PhantomData<T>,
}

impl<T: UnitEnum + Into<u8>> Enum<T> {
    pub fn new(value: T) -> Self {
        Enum { tag: value.into(), _marker: core::marker::PhantomData }
    }
    pub fn set(&mut self, value: T) {
        self.tag = value.into();
    }
}

impl<T: UnitEnum> Enum<T> {
    pub fn get(&self) -> Result<T, ProgramError> {
        T::from_u8(self.tag).ok_or_else(|| FrameworkError::AccountDidNotDeserialize.into())
    }
    pub fn tag(&self) -> u8 {
        self.tag
    }
}

impl<T> core::fmt::Debug for Enum<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.tag.fmt(f)
    }
}

// SAFETY: one byte; any value is valid (unknown tags fail in `get`).
unsafe impl<T> Pod for Enum<T> {}

impl<'a, T: UnitEnum> crate::borsh::BorshRead<'a> for Enum<T> {
    const FIXED_SIZE: Option<usize> = Some(1);
    fn read(r: &mut crate::borsh::Reader<'a>) -> Result<Self, ProgramError> {
        let tag = u8::read(r)?;
        T::from_u8(tag).ok_or_else::<ProgramError, _>(|| FrameworkError::AccountDidNotDeserialize.into())?;
        Ok(Enum { tag, _marker: core::marker::PhantomData })
    }
}
impl<T> crate::borsh::BorshWrite for Enum<T> {
    const PLAIN: bool = true;
    fn write(&self, w: &mut crate::borsh::Writer) {
        w.put(&[self.tag]);
    }
}
impl<T> crate::borsh::BorshSize for Enum<T> {
    const SIZE: usize = 1;

}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_within_like_the_slice_method_and_refuses_ranges_outside() {
        let mut a: [u8; 6] = [1, 2, 3, 4, 5, 6];
        let mut b = a;
        copy_within(&mut a, 1..4, 2).unwrap();
        b.copy_within(1..4, 2);
        assert_eq!(a, b);
        copy_within(&mut a, 3..6, 0).unwrap();
        b.copy_within(3..6, 0);
        assert_eq!(a, b);
        copy_within(&mut a, 2..2, 6).unwrap();
        assert_eq!(copy_within(&mut a, 4..7, 0), Err(ProgramError::InvalidAccountData));
        assert_eq!(copy_within(&mut a, 0..3, 4), Err(ProgramError::InvalidAccountData));
        assert_eq!(copy_within(&mut a, 0..3, usize::MAX), Err(ProgramError::InvalidAccountData));
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = 3..1;
        assert_eq!(copy_within(&mut a, backwards, 0), Err(ProgramError::InvalidAccountData));
        assert_eq!(a, b, "a refused copy changes nothing");
    }
}
