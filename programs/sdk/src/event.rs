//! Anchor events: `Program data: base64(discriminator ++ borsh)` through `sol_log_data`, or Anchor's
//! `emit_cpi` form, a self-invocation whose instruction data carries the event, which survives log
//! truncation because indexers read it from the transaction's inner instructions.

use crate::account::{require_address, AccountView};
use crate::borsh::{BorshSize, BorshWrite, Writer};
use crate::cpi::{invoke_signed, AccountMeta, Instruction, Seed, Signer};
use crate::error::{FrameworkError, ProgramError, ProgramResult};
use crate::pubkey::{pubkey_eq, Pubkey};
use core::marker::PhantomData;

/// Largest encoded event (discriminator included); checked per event type when it is emitted
/// (a compile-time error). Vectors count at `borsh::MAX_EVENT_ITEMS` items, strings at
/// `borsh::MAX_EVENT_STR` bytes.
pub const MAX_EVENT_SIZE: usize = 3584;

/// Anchor's tag that starts the instruction data of an `emit_cpi` self-invocation:
/// sha256("anchor:event")[..8], little-endian.
pub const EVENT_IX_TAG: [u8; 8] = 0x1d9acb512ea545e4u64.to_le_bytes();

/// Seed of the event-authority PDA that signs `emit_cpi` self-invocations.
pub const EVENT_AUTHORITY_SEED: &[u8] = b"__event_authority";

/// An Anchor event: a borsh struct with a discriminator (declared with `event!`). The
/// discriminator is the first field of the struct's memory, so an event whose other fields are
/// plain is logged straight from where it was built (one syscall, no copy).
pub trait Event: BorshWrite + BorshSize + Copy {
    /// sha256("event:<Name>")[..8]
    const DISCRIMINATOR: [u8; 8];
    /// The fields' places in memory, for encoding a non-plain event (`event!` lists them).
    const FIELDS: &'static [FieldMemory];
    /// True when every field is PLAIN: then the event's memory is what is logged, its
    /// discriminator followed by its borsh encoding.
    const IN_PLACE: bool;

    /// Compile-time proof that the largest encoding fits the buffer.
    const FITS: () = {
        assert!(8 + Self::SIZE <= MAX_EVENT_SIZE, "event larger than MAX_EVENT_SIZE");
        assert!(!Self::IN_PLACE || 8 + Self::SIZE == core::mem::size_of::<Self>(), "an in-place event's memory must be its discriminator and encoding");
    };

    /// Logs the event as `Program data: ...`: an in-place event straight from its memory; one whose
    /// only list is its last field as its memory up to the list, then the list; others encoded
    /// field by field into a buffer first. (So an event's list goes last when it can.)
    #[inline(always)]
    fn emit(&self) {
        #[allow(clippy::let_unit_value)]
        let () = Self::FITS;
        if Self::IN_PLACE {
            // SAFETY: IN_PLACE: packed discriminator and PLAIN fields, no padding.
            crate::log::log_data(&[unsafe { memory_of(self) }]);
        } else if let Some(at) = const { last_slice_offset(Self::FIELDS) } {
            // SAFETY: `event!` structs are packed, every byte initialised, and `at` is where their
            // one Slice field, the last, lies.
            unsafe { emit_with_last_slice(memory_of(self), at) };
        } else {
            emit_encoded(&EventMemory::of(self));
        }
    }

    /// Emits the event as Anchor's `emit_cpi!` does. An in-place event goes to the
    /// self-invocation as its memory (through one shared, non-generic function); others are
    /// encoded first.
    #[inline(always)]
    fn emit_cpi(&self, ctx: &EventCpi) -> ProgramResult {
        #[allow(clippy::let_unit_value)]
        let () = Self::FITS;
        if Self::IN_PLACE {
            // SAFETY: as in `emit`.
            emit_cpi_data(unsafe { memory_of(self) }, ctx)
        } else {
            emit_cpi_encoded(&EventMemory::of(self), ctx)
        }
    }
}

/// The memory of `event`: what is logged when `E::IN_PLACE`.
///
/// # Safety
/// `E::IN_PLACE` (or the bytes are only read as `EventMemory` fields): no padding.
#[inline(always)]
pub unsafe fn memory_of<E: Event>(event: &E) -> &[u8] {
    // SAFETY: `event!` structs are repr(C, packed): no padding, every byte initialised.
    unsafe { core::slice::from_raw_parts(event as *const E as *const u8, core::mem::size_of::<E>()) }
}

/// An event's discriminator, the first field of every `event!` struct:
/// `ChargeRecorded { discriminator: Discriminator::EVENT, escrow, ... }`.
#[repr(transparent)]
pub struct Discriminator<E>([u8; 8], PhantomData<E>);

impl<E: Event> Discriminator<E> {
    /// `E`'s discriminator.
    pub const EVENT: Self = Discriminator(E::DISCRIMINATOR, PhantomData);
}

impl<E> Clone for Discriminator<E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<E> Copy for Discriminator<E> {}

/// Anchor's `emit_cpi` self-invocation for an event logged as `event` (discriminator and borsh):
/// instruction data `EVENT_IX_TAG ++ event`, the event authority signing. First checks the two
/// accounts (`event_cpi` accounts of `instruction!` are checked here only): without this a wrong
/// one would still fail, in the runtime, but unnamed.
/// Not generic, so every event shares this one copy; its buffer gets a stack frame of its own.
#[inline(never)]
pub fn emit_cpi_data(event: &[u8], ctx: &EventCpi) -> ProgramResult {
    require_address(ctx.event_authority, ctx.event_authority_address, "event_authority")?;
    require_address(ctx.program, ctx.program_id, "program")?;
    // not zeroed first (a 3.5 KB memset): only the bytes written below are read
    let mut buf = core::mem::MaybeUninit::<[u8; MAX_EVENT_SIZE + 8]>::uninit();
    let end = event.len().checked_add(8).filter(|end| *end <= MAX_EVENT_SIZE + 8).ok_or(ProgramError::InvalidArgument)?;
    // SAFETY: `end` bytes fit the buffer (checked above); both copies write inside it, and the
    // slice covers exactly the bytes they wrote.
    let data = unsafe {
        let at = buf.as_mut_ptr() as *mut u8;
        core::ptr::copy_nonoverlapping(EVENT_IX_TAG.as_ptr(), at, 8);
        core::ptr::copy_nonoverlapping(event.as_ptr(), at.add(8), event.len());
        core::slice::from_raw_parts(at, end)
    };
    let metas = [AccountMeta::readonly_signer(ctx.event_authority.key())];
    let ix = Instruction { program_id: ctx.program_id, accounts: &metas, data };
    let bump = [ctx.bump];
    let seeds = [Seed::from(EVENT_AUTHORITY_SEED), Seed::from(&bump)];
    invoke_signed(&ix, &[ctx.event_authority, ctx.program], &[Signer::from(&seeds)])
}

/// Encodes a non-plain event, then emits it through `emit_cpi_data`.
#[inline(never)]
fn emit_cpi_encoded(event: &EventMemory, ctx: &EventCpi) -> ProgramResult {
    let mut buf = [0u8; MAX_EVENT_SIZE];
    let len = encode(event, &mut buf);
    emit_cpi_data(&buf[..len], ctx)
}

/// An event's memory (its discriminator first) and how its fields lie in it.
pub struct EventMemory<'a> {
    pub bytes: &'a [u8],
    pub fields: &'static [FieldMemory],
}

impl<'a> EventMemory<'a> {
    /// The memory of `event` (a packed struct of PLAIN fields and [`Slice`](crate::borsh::Slice)s, so every byte is
    /// initialised).
    pub fn of<E: Event>(event: &'a E) -> Self {
        // SAFETY: `event!` structs are repr(C, packed) of PLAIN fields and repr(C) Slices (pointers
        // and lengths): no padding, every byte initialised.
        EventMemory { bytes: unsafe { memory_of(event) }, fields: E::FIELDS }
    }
}

/// Where a field of an event lies in the event's (packed) memory; `event!` lists them.
pub struct FieldMemory {
    pub offset: u16,
    pub size: u16,
    /// A [`Slice`](crate::borsh::Slice) (pointer and lengths in memory, count and items in the encoding); otherwise the
    /// field's memory is its encoding.
    pub slice: bool,
}

/// Where the event's one `Slice` field lies when it is the last field: everything before it is then
/// already the encoding (discriminator and plain fields), and the slice's count and items follow.
const fn last_slice_offset(fields: &[FieldMemory]) -> Option<usize> {
    let mut rest = fields;
    while let [field, tail @ ..] = rest {
        if field.slice {
            return if tail.is_empty() { Some(field.offset as usize) } else { None };
        }
        rest = tail;
    }
    None
}

/// Logs an event whose last field, at `at`, is its one `Slice`: one copy of the bytes before it,
/// then the slice's count and items (the table-driven [`encode`] is not linked in for it).
///
/// # Safety
/// `event` is the memory of an `event!` struct whose one Slice field starts at `at`.
#[inline(never)]
unsafe fn emit_with_last_slice(event: &[u8], at: usize) {
    let mut buf = core::mem::MaybeUninit::<[u8; MAX_EVENT_SIZE]>::uninit();
    // SAFETY: the caller's promise.
    let data = unsafe { encode_with_last_slice(event, at, &mut buf) };
    crate::log::log_data(&[data]);
}

/// The encoding of the event of [`emit_with_last_slice`], written into `buf`.
///
/// # Safety
/// As for [`emit_with_last_slice`].
unsafe fn encode_with_last_slice<'b>(event: &[u8], at: usize, buf: &'b mut core::mem::MaybeUninit<[u8; MAX_EVENT_SIZE]>) -> &'b [u8] {
    let head = event.get(..at).unwrap_or_default();
    // SAFETY: the caller's promise: a Slice lies at `at`.
    let (count, items) = unsafe { crate::borsh::Slice::encoding_from_memory(event.as_ptr().add(head.len())) };
    // `FITS` bounds the event at MAX_EVENT_ITEMS items: more is a bug, and fails the instruction
    let end = head.len().checked_add(4).and_then(|n| n.checked_add(items.len())).filter(|end| *end <= MAX_EVENT_SIZE);
    let end = end.expect("event larger than MAX_EVENT_SIZE");
    // SAFETY: `end` bytes fit the buffer; the three copies fill exactly its first `end` bytes.
    unsafe {
        let out = buf.as_mut_ptr() as *mut u8;
        core::ptr::copy_nonoverlapping(head.as_ptr(), out, head.len());
        core::ptr::copy_nonoverlapping(count.as_ptr(), out.add(head.len()), 4);
        core::ptr::copy_nonoverlapping(items.as_ptr(), out.add(head.len()).add(4), items.len());
        core::slice::from_raw_parts(out, end)
    }
}

/// Logs a non-plain event: encoded into a buffer, from its memory by one non-generic loop over
/// its fields (one copy in the program instead of field-by-field code per event type). Not
/// inlined: the buffer gets a stack frame of its own.
#[inline(never)]
fn emit_encoded(event: &EventMemory) {
    let mut buf = [0u8; MAX_EVENT_SIZE];
    let len = encode(event, &mut buf);
    crate::log::log_data(&[&buf[..len]]);
}

/// `discriminator ++ borsh(event)` into `buf`; returns the length.
pub fn encode(event: &EventMemory, buf: &mut [u8]) -> usize {
    let mut w = Writer::new(buf);
    w.put(event.bytes.get(..8).unwrap_or_default());
    for field in event.fields {
        let start = field.offset as usize;
        let Some(memory) = event.bytes.get(start..start.saturating_add(field.size as usize)) else { continue };
        if field.slice {
            // SAFETY: `event!` marks exactly the Slice fields, and `memory` lies inside the event.
            unsafe { crate::borsh::Slice::write_from_memory(memory.as_ptr(), &mut w) };
        } else {
            w.put(memory);
        }
    }
    w.len()
}

/// What `emit_cpi` needs: this program, its event-authority PDA (the account given and its
/// address) and the PDA's bump.
pub struct EventCpi<'a> {
    pub program_id: &'a Pubkey,
    pub event_authority: &'a AccountView,
    pub event_authority_address: &'a Pubkey,
    /// This program's own account (the invoked program must be among the accounts).
    pub program: &'a AccountView,
    pub bump: u8,
}

/// Handles the self-invocation `emit_cpi` makes: accepts it only when the program's own event
/// authority signed, so nobody else can forge an event in an inner instruction of this program.
pub fn process_event_cpi(accounts: &[AccountView], event_authority: &Pubkey) -> ProgramResult {
    let authority = accounts.first().ok_or_else::<ProgramError, _>(|| FrameworkError::AccountNotEnoughKeys.into())?;
    if !authority.is_signer() {
        return Err(FrameworkError::ConstraintSigner.on("event_authority"));
    }
    if !pubkey_eq(authority.key(), event_authority) {
        return Err(FrameworkError::ConstraintSeeds.on("event_authority"));
    }
    Ok(())
}

#[cfg(test)]
#[allow(dead_code)] // the test event's generated IDL helpers
mod tests {
    use super::*;
    use crate::borsh::Slice;

    crate::types! {
        @pod
        /// An item.
        pub struct Item {
            pub key: [u8; 32],
            pub weight: crate::state::U16,
        }
    }

    crate::event! {
        /// A test event with lists between plain fields.
        pub struct Mixed<'a> {
            pub first: u64,
            pub items: Slice<'a, Item>,
            pub flag: bool,
            pub numbers: Slice<'a, u16>,
            pub last: [u8; 3],
        }
    }

    crate::event! {
        /// A test event whose one list is its last field.
        pub struct ListLast<'a> {
            pub first: u64,
            pub flag: bool,
            pub items: Slice<'a, Item>,
        }
    }

    #[test]
    fn an_event_with_its_list_last_is_its_memory_then_the_list() {
        let items = [[7u8; 34], [9u8; 34], [1u8; 34]].concat();
        let event = ListLast { discriminator: Discriminator::EVENT, first: 42, flag: true, items: Slice::from_item_bytes(&items).unwrap() };
        let at = last_slice_offset(ListLast::FIELDS).expect("the list is last");
        assert_eq!(at, 8 + 8 + 1);
        assert_eq!(last_slice_offset(Mixed::FIELDS), None, "lists between fields take the table-driven encoding");
        let mut expected = [0u8; 256];
        let expected_len = encode(&EventMemory::of(&event), &mut expected);
        let mut buf = core::mem::MaybeUninit::uninit();
        // SAFETY: `ListLast`'s memory, its list at `at`.
        let actual = unsafe { encode_with_last_slice(memory_of(&event), at, &mut buf) };
        assert_eq!(actual, &expected[..expected_len]);
        assert_eq!(actual.len(), 8 + 8 + 1 + 4 + 3 * 34);
    }

    #[test]
    fn encoding_from_memory_equals_borsh_field_by_field() {
        let items = [[7u8; 34], [9u8; 34]].concat();
        let numbers = [1u8, 0, 2, 0, 3, 0];
        let event = Mixed {
            discriminator: Discriminator::EVENT,
            first: 0x0102_0304_0506_0708,
            items: Slice::from_item_bytes(&items).unwrap(),
            flag: true,
            numbers: Slice::from_item_bytes(&numbers).unwrap(),
            last: [4, 5, 6],
        };
        let mut expected = [0u8; 256];
        let mut w = Writer::new(&mut expected);
        w.put(&Mixed::DISCRIMINATOR);
        event.write(&mut w);
        let expected_len = w.len();
        let mut actual = [0u8; 256];
        let len = encode(&EventMemory::of(&event), &mut actual);
        assert_eq!(&actual[..len], &expected[..expected_len]);
        assert_eq!(len, 8 + 8 + 4 + 68 + 1 + 4 + 6 + 3);
    }
}
