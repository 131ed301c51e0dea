//! Borsh encoding without allocation: instruction arguments are read in place, events are written
//! into a stack buffer. Layouts match the borsh crate (and so Anchor's TypeScript coder).

use crate::error::{FrameworkError, ProgramError};

/// Reads borsh values from instruction data.
pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    /// Takes the next `n` bytes.
    #[inline(always)]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], ProgramError> {
        if self.data.len() < n {
            return Err(FrameworkError::InstructionDidNotDeserialize.into());
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    #[inline(always)]
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], ProgramError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// Fails unless every byte was consumed: trailing data is a malformed instruction.
    pub fn finish(self) -> Result<(), ProgramError> {
        if self.data.is_empty() {
            Ok(())
        } else {
            Err(FrameworkError::InstructionDidNotDeserialize.into())
        }
    }
}

/// Writes borsh values into a fixed buffer. Buffers are sized from [`BorshSize`] at compile time,
/// so running out of room is a bug and panics.
pub struct Writer<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> Writer<'a> {
    pub fn new(buf: &'a mut [u8]) -> Self {
        Writer { buf, len: 0 }
    }

    #[inline(always)]
    pub fn put(&mut self, bytes: &[u8]) {
        let end = self.len.checked_add(bytes.len()).expect("borsh buffer overflow");
        self.buf[self.len..end].copy_from_slice(bytes);
        self.len = end;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// The memory of `value` as bytes, for `PLAIN` types.
///
/// # Safety
/// `T::PLAIN` must hold: no padding, every byte initialised.
#[inline(always)]
pub unsafe fn plain_bytes<T: BorshWrite>(value: &T) -> &[u8] {
    // SAFETY: the caller guarantees T has no padding, so all size_of::<T>() bytes are initialised.
    unsafe { core::slice::from_raw_parts(value as *const T as *const u8, core::mem::size_of::<T>()) }
}

/// A type decoded from borsh bytes, possibly borrowing them.
pub trait BorshRead<'a>: Sized {
    /// The encoded size when every value of the type has the same one (integers, arrays, `Pod`).
    const FIXED_SIZE: Option<usize> = None;

    fn read(r: &mut Reader<'a>) -> Result<Self, ProgramError>;
}

/// The encoded size of a sequence of fields when all of them are fixed-size. An instruction whose
/// arguments all are checks the data's length once against it; the per-field checks that follow
/// are then known to pass and compile away.
#[inline(always)]
pub const fn fixed_size(fields: &[Option<usize>]) -> Option<usize> {
    let mut total: usize = 0;
    let mut rest = fields;
    while let [field, tail @ ..] = rest {
        match field {
            Some(size) => match total.checked_add(*size) {
                Some(sum) => total = sum,
                None => return None,
            },
            None => return None,
        }
        rest = tail;
    }
    Some(total)
}

/// A type encoded as borsh bytes.
pub trait BorshWrite {
    /// True when the value's memory is exactly its borsh encoding (integers on a little-endian
    /// target, bools, byte arrays, `Pod` types, unit enums, and packed structs of such fields):
    /// then it is encoded with one copy instead of field by field.
    const PLAIN: bool = false;
    /// True for [`Slice`], the one non-PLAIN field type events may hold (see
    /// `event::FieldMemory`).
    const IS_SLICE: bool = false;

    fn write(&self, w: &mut Writer);
}

/// The largest encoded size of a type (exact for fixed-size types).
pub trait BorshSize {
    const SIZE: usize;
}

macro_rules! int_borsh {
    ($($t:ty),*) => {$(
        impl<'a> BorshRead<'a> for $t {
            const FIXED_SIZE: Option<usize> = Some(core::mem::size_of::<$t>());
            #[inline(always)]
            fn read(r: &mut Reader<'a>) -> Result<Self, ProgramError> {
                Ok(<$t>::from_le_bytes(r.array()?))
            }
        }
        impl BorshWrite for $t {
            const PLAIN: bool = cfg!(target_endian = "little");
            #[inline(always)]
            fn write(&self, w: &mut Writer) {
                w.put(&self.to_le_bytes());
            }
        }
        impl BorshSize for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
        }
    )*};
}
int_borsh!(u8, u16, u32, u64, u128, i8, i16, i32, i64, i128);

impl<'a> BorshRead<'a> for bool {
    const FIXED_SIZE: Option<usize> = Some(1);
    fn read(r: &mut Reader<'a>) -> Result<Self, ProgramError> {
        match r.array::<1>()?[0] {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(FrameworkError::InstructionDidNotDeserialize.into()),
        }
    }
}
impl BorshWrite for bool {
    const PLAIN: bool = true;
    fn write(&self, w: &mut Writer) {
        w.put(&[*self as u8]);
    }
}
impl BorshSize for bool {
    const SIZE: usize = 1;
}

// Arrays of `Pod` items (bytes, little-endian wrappers, `@pod` structs) encode as their bytes.
impl<'a, T: crate::state::Pod, const N: usize> BorshRead<'a> for [T; N] {
    const FIXED_SIZE: Option<usize> = Some(core::mem::size_of::<[T; N]>());
    #[inline(always)]
    fn read(r: &mut Reader<'a>) -> Result<Self, ProgramError> {
        let bytes = r.take(core::mem::size_of::<[T; N]>())?;
        // SAFETY: `T: Pod` has alignment 1 and accepts any bytes; the length matches.
        Ok(unsafe { core::ptr::read(bytes.as_ptr() as *const [T; N]) })
    }
}
impl<T: crate::state::Pod, const N: usize> BorshWrite for [T; N] {
    const PLAIN: bool = true;
    #[inline(always)]
    fn write(&self, w: &mut Writer) {
        // SAFETY: `T: Pod` has no padding, so every byte of the array is initialised.
        w.put(unsafe { core::slice::from_raw_parts(self.as_ptr() as *const u8, core::mem::size_of::<[T; N]>()) });
    }
}
impl<T: crate::state::Pod, const N: usize> BorshSize for [T; N] {
    const SIZE: usize = core::mem::size_of::<[T; N]>();
}

/// A `Pod` value read in place: a reference into the instruction data, without copying (its
/// borsh encoding is its memory). Byte patterns are not validated beyond `Pod` (an `Enum` field
/// checks its tag when read with `get`).
impl<'a, T: crate::state::Pod> BorshRead<'a> for &'a T {
    const FIXED_SIZE: Option<usize> = Some(core::mem::size_of::<T>());
    #[inline(always)]
    fn read(r: &mut Reader<'a>) -> Result<Self, ProgramError> {
        let bytes = r.take(core::mem::size_of::<T>())?;
        // SAFETY: `T: Pod` has alignment 1 and accepts any bytes; the length matches and the
        // reference lives as long as the data.
        Ok(unsafe { &*(bytes.as_ptr() as *const T) })
    }
}

impl<'a, T: BorshRead<'a>> BorshRead<'a> for Option<T> {
    fn read(r: &mut Reader<'a>) -> Result<Self, ProgramError> {
        match r.array::<1>()?[0] {
            0 => Ok(None),
            1 => Ok(Some(T::read(r)?)),
            _ => Err(FrameworkError::InstructionDidNotDeserialize.into()),
        }
    }
}
impl<T: BorshWrite> BorshWrite for Option<T> {
    fn write(&self, w: &mut Writer) {
        match self {
            None => w.put(&[0]),
            Some(v) => {
                w.put(&[1]);
                v.write(w);
            }
        }
    }
}
impl<T: BorshSize> BorshSize for Option<T> {
    const SIZE: usize = 1 + T::SIZE;
}

/// Vectors in events are sized for at most this many items (an event's buffer is fixed).
pub const MAX_EVENT_ITEMS: usize = 64;
/// Strings in events are sized for at most this many bytes.
pub const MAX_EVENT_STR: usize = 64;

/// A borsh `Vec<T>` of fixed-size items, read in place: a u32 count, then the items.
/// `repr(C)`: events encode it from its memory ([`Slice::write_from_memory`]).
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Slice<'a, T> {
    bytes: &'a [u8],
    len: usize,
    _marker: core::marker::PhantomData<T>,
}

impl<'a, T: BorshRead<'a> + BorshSize> Slice<'a, T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `i`-th item, decoded.
    pub fn get(&self, i: usize) -> Option<T> {
        if i >= self.len {
            return None;
        }
        let start = i.checked_mul(T::SIZE)?;
        let mut r = Reader::new(&self.bytes[start..]);
        T::read(&mut r).ok()
    }

    /// A slice over `item_bytes` holding whole items (for building a vector to emit).
    pub fn from_item_bytes(item_bytes: &'a [u8]) -> Option<Self> {
        let len = item_bytes.len().checked_div(T::SIZE)?;
        if len.checked_mul(T::SIZE)? != item_bytes.len() {
            return None;
        }
        Some(Slice { bytes: item_bytes, len, _marker: core::marker::PhantomData })
    }

    /// The items' bytes (without the count prefix).
    pub fn item_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// sha256 of the slice's borsh encoding (count prefix and items): a commitment to the list.
    pub fn hash(&self) -> crate::hash::Hash {
        crate::hash::sha256(&[&(self.len as u32).to_le_bytes(), self.bytes])
    }

    pub fn iter(&self) -> impl Iterator<Item = T> + use<'_, 'a, T> {
        (0..self.len).filter_map(move |i| self.get(i))
    }
}

impl<'a, T: crate::state::Pod + BorshSize> Slice<'a, T> {
    /// A slice over Pod items (for building a list to emit).
    pub fn from_items(items: &'a [T]) -> Self {
        const { assert!(core::mem::size_of::<T>() == T::SIZE, "a Pod item's encoding is its memory") };
        // SAFETY: Pod items have alignment 1, no padding and every byte initialised: their memory
        // is their bytes.
        let bytes = unsafe { core::slice::from_raw_parts(items.as_ptr() as *const u8, core::mem::size_of_val(items)) };
        Slice { bytes, len: items.len(), _marker: core::marker::PhantomData }
    }

    /// Pod items need no decoding: view them in place (no copies, no per-item bounds checks).
    pub fn items(&self) -> &'a [T] {
        const { assert!(core::mem::size_of::<T>() == T::SIZE, "a Pod item's encoding is its memory") };
        // SAFETY: Pod types have alignment 1 and no invalid bit patterns, and `bytes` holds exactly
        // `len * T::SIZE` bytes (checked in read and from_item_bytes), T::SIZE being T's size.
        unsafe { core::slice::from_raw_parts(self.bytes.as_ptr() as *const T, self.len) }
    }
}


impl<'a, T: BorshSize> BorshRead<'a> for Slice<'a, T> {
    fn read(r: &mut Reader<'a>) -> Result<Self, ProgramError> {
        let len = u32::read(r)? as usize;
        let size = len.checked_mul(T::SIZE).ok_or_else::<ProgramError, _>(|| FrameworkError::InstructionDidNotDeserialize.into())?;
        Ok(Slice { bytes: r.take(size)?, len, _marker: core::marker::PhantomData })
    }
}

impl<T: BorshSize> BorshSize for Slice<'_, T> {
    const SIZE: usize = 4 + MAX_EVENT_ITEMS * T::SIZE;
}

impl Slice<'_, ()> {
    /// Writes the borsh encoding of the `Slice` (of any item type) whose memory starts at
    /// `memory`, which may be unaligned (a field of a packed event).
    ///
    /// # Safety
    /// `memory` must point at a live `Slice<'_, T>`.
    pub unsafe fn write_from_memory(memory: *const u8, w: &mut Writer) {
        // SAFETY: the caller's promise.
        let (count, items) = unsafe { Self::encoding_from_memory(memory) };
        w.put(&count);
        w.put(items);
    }

    /// The borsh encoding of the `Slice` whose memory starts at `memory`, in its two parts: the
    /// count and the items' bytes.
    ///
    /// # Safety
    /// As for [`Slice::write_from_memory`]; the items live for `'m`.
    pub unsafe fn encoding_from_memory<'m>(memory: *const u8) -> ([u8; 4], &'m [u8]) {
        // SAFETY: the item type is only a marker: every Slice has this layout (repr(C)).
        let slice = unsafe { core::ptr::read_unaligned(memory as *const Slice<'m, ()>) };
        ((slice.len as u32).to_le_bytes(), slice.bytes)
    }
}

impl<T> BorshWrite for Slice<'_, T> {
    const IS_SLICE: bool = true;
    fn write(&self, w: &mut Writer) {
        w.put(&(self.len as u32).to_le_bytes());
        w.put(self.bytes);
    }
}

/// A borsh `String`, read in place and checked to be UTF-8.
#[derive(Clone, Copy)]
pub struct Str<'a>(pub &'a str);

impl<'a> BorshRead<'a> for Str<'a> {
    fn read(r: &mut Reader<'a>) -> Result<Self, ProgramError> {
        let len = u32::read(r)? as usize;
        let bytes = r.take(len)?;
        core::str::from_utf8(bytes).map(Str).map_err(|_| FrameworkError::InstructionDidNotDeserialize.into())
    }
}

impl BorshSize for Str<'_> {
    const SIZE: usize = 4 + MAX_EVENT_STR;
}

impl BorshWrite for Str<'_> {
    fn write(&self, w: &mut Writer) {
        w.put(&(self.0.len() as u32).to_le_bytes());
        w.put(self.0.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_fixed_types() {
        let mut buf = [0u8; 64];
        let mut w = Writer::new(&mut buf);
        7u64.write(&mut w);
        (-2i64).write(&mut w);
        true.write(&mut w);
        Some(5u16).write(&mut w);
        None::<u16>.write(&mut w);
        [9u8; 4].write(&mut w);
        let n = w.len();
        assert_eq!(n, 8 + 8 + 1 + 3 + 1 + 4);
        let mut r = Reader::new(&buf[..n]);
        assert_eq!(u64::read(&mut r), Ok(7));
        assert_eq!(i64::read(&mut r), Ok(-2));
        assert_eq!(bool::read(&mut r), Ok(true));
        assert_eq!(Option::<u16>::read(&mut r), Ok(Some(5)));
        assert_eq!(Option::<u16>::read(&mut r), Ok(None));
        assert_eq!(<[u8; 4]>::read(&mut r), Ok([9; 4]));
        assert!(r.finish().is_ok());
    }

    #[test]
    fn sums_fixed_sizes_and_gives_none_for_any_variable_one() {
        assert_eq!(fixed_size(&[]), Some(0));
        assert_eq!(fixed_size(&[u64::FIXED_SIZE, bool::FIXED_SIZE, <&[u8; 32]>::FIXED_SIZE]), Some(41));
        assert_eq!(fixed_size(&[u64::FIXED_SIZE, Slice::<u16>::FIXED_SIZE]), None);
        assert_eq!(fixed_size(&[Option::<u64>::FIXED_SIZE]), None);
        assert_eq!(fixed_size(&[Some(usize::MAX), Some(1)]), None);
        assert_eq!((crate::state::U64::FIXED_SIZE, crate::state::Bool::FIXED_SIZE), (Some(8), Some(1)));
    }

    #[test]
    fn refuses_short_trailing_and_invalid_data() {
        assert!(u64::read(&mut Reader::new(&[1, 2, 3])).is_err());
        assert!(bool::read(&mut Reader::new(&[2])).is_err());
        let mut r = Reader::new(&[1, 0]);
        u8::read(&mut r).unwrap();
        assert!(r.finish().is_err());
    }

    #[test]
    fn reads_pod_values_by_reference() {
        let data = [1u8, 2, 3, 4, 5];
        let mut r = Reader::new(&data);
        let v = <&[crate::state::U16; 2]>::read(&mut r).unwrap();
        assert_eq!((v[0].get(), v[1].get()), (0x0201, 0x0403));
        assert!(core::ptr::eq(v.as_ptr() as *const u8, data.as_ptr()), "no copy");
        assert!(<&[u8; 2]>::read(&mut r).is_err(), "one byte left");
    }

    #[test]
    fn reads_vectors_and_strings_in_place() {
        let data = [2, 0, 0, 0, 1, 1, 2, 2, 3, 0, 0, 0, b'g', b'p', b'u'];
        let mut r = Reader::new(&data);
        let v = Slice::<[u8; 2]>::read(&mut r).unwrap();
        assert_eq!(v.items(), &[[1, 1], [2, 2]]);
        assert_eq!(v.iter().count(), 2);
        assert_eq!(Str::read(&mut r).unwrap().0, "gpu");
        // a count larger than the data
        assert!(Slice::<u64>::read(&mut Reader::new(&[255, 255, 255, 255])).is_err());
    }
}
