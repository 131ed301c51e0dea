//! Zero-copy views of the accounts the runtime serialized into the program's input, with runtime
//! borrow rules so that two views of one account (a duplicate in the account list) can never hand
//! out aliasing mutable data.

use crate::error::ProgramError;
use crate::pubkey::{pubkey_eq, Pubkey};
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

/// Bytes the runtime reserves after each account's data so a program may grow it.
pub const MAX_PERMITTED_DATA_INCREASE: usize = 10 * 1024;

/// The header the runtime writes before each (non-duplicate) account's data (input ABI v1).
///
/// The first byte is the duplicate marker (0xff for a non-duplicate); after parsing we reuse it as
/// the borrow state of the account's data, as pinocchio does. The 4 padding bytes hold how much
/// the data has grown in this instruction, to enforce the realloc limit.
#[repr(C)]
pub struct RawAccount {
    pub(crate) borrow_state: u8,
    pub(crate) is_signer: u8,
    pub(crate) is_writable: u8,
    pub(crate) executable: u8,
    pub(crate) resize_delta: i32,
    pub(crate) key: Pubkey,
    pub(crate) owner: Pubkey,
    pub(crate) lamports: u64,
    pub(crate) data_len: u64,
}

/// Borrow state values kept in `RawAccount::borrow_state`.
const UNBORROWED: u8 = 0xff;
const MUT_BORROWED: u8 = 0;

/// A view of one account of the instruction. Copying the view copies a pointer; every copy sees
/// the same account and the same borrow state.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct AccountView {
    raw: *mut RawAccount,
}

impl AccountView {
    /// # Safety
    /// `raw` must point at a `RawAccount` followed by its data, alive for the whole instruction.
    pub(crate) unsafe fn from_raw(raw: *mut RawAccount) -> Self {
        AccountView { raw }
    }

    #[inline(always)]
    fn header(&self) -> &RawAccount {
        // SAFETY: `raw` points into the input buffer for the instruction's lifetime (from_raw).
        unsafe { &*self.raw }
    }

    #[inline(always)]
    pub fn key(&self) -> &Pubkey {
        &self.header().key
    }

    #[inline(always)]
    pub fn owner(&self) -> &Pubkey {
        &self.header().owner
    }

    #[inline(always)]
    pub fn is_owned_by(&self, program: &Pubkey) -> bool {
        pubkey_eq(self.owner(), program)
    }

    #[inline(always)]
    pub fn is_signer(&self) -> bool {
        self.header().is_signer != 0
    }

    #[inline(always)]
    pub fn is_writable(&self) -> bool {
        self.header().is_writable != 0
    }

    #[inline(always)]
    pub fn executable(&self) -> bool {
        self.header().executable != 0
    }

    #[inline(always)]
    pub fn lamports(&self) -> u64 {
        self.header().lamports
    }

    /// Sets the balance. The runtime checks after the instruction that only owned accounts lost
    /// lamports and that the total is unchanged.
    #[inline(always)]
    pub fn set_lamports(&self, lamports: u64) {
        // SAFETY: lamports are never handed out by reference, so no borrow can alias this write.
        unsafe { (*self.raw).lamports = lamports };
    }

    #[inline(always)]
    pub fn data_len(&self) -> usize {
        self.header().data_len as usize
    }

    #[inline(always)]
    pub fn data_is_empty(&self) -> bool {
        self.data_len() == 0
    }

    #[inline(always)]
    fn data_ptr(&self) -> *mut u8 {
        // SAFETY: the data follows the header directly in the input buffer.
        unsafe { (self.raw as *mut u8).add(core::mem::size_of::<RawAccount>()) }
    }

    /// Borrows the data for reading; fails while it is mutably borrowed.
    pub fn try_borrow_data(&self) -> Result<Ref<'_, [u8]>, ProgramError> {
        let state = self.header().borrow_state;
        // 1 would make the next count collide with MUT_BORROWED
        if state == MUT_BORROWED || state == 1 {
            return Err(ProgramError::AccountBorrowFailed);
        }
        // SAFETY: single-threaded; the state byte is only touched through these guards.
        unsafe { (*self.raw).borrow_state = state.wrapping_sub(1) }; // state >= 2 here
        // SAFETY: no mutable borrow exists (checked above); data_len bytes follow the header.
        let value = unsafe { core::slice::from_raw_parts(self.data_ptr(), self.data_len()) };
        Ok(Ref { value, state: self.raw as *mut u8, _marker: PhantomData })
    }

    /// Borrows the data for writing; fails while any other borrow is alive.
    pub fn try_borrow_mut_data(&self) -> Result<RefMut<'_, [u8]>, ProgramError> {
        if self.header().borrow_state != UNBORROWED {
            return Err(ProgramError::AccountBorrowFailed);
        }
        // SAFETY: as above.
        unsafe { (*self.raw).borrow_state = MUT_BORROWED };
        // SAFETY: no other borrow exists (checked above).
        let value = unsafe { core::slice::from_raw_parts_mut(self.data_ptr(), self.data_len()) };
        Ok(RefMut { value, state: self.raw as *mut u8, _marker: PhantomData })
    }

    /// True when no borrow of the data is alive (required before passing the account to a CPI).
    #[inline(always)]
    pub fn is_unborrowed(&self) -> bool {
        self.header().borrow_state == UNBORROWED
    }

    /// True when the data is not mutably borrowed.
    #[inline(always)]
    pub fn is_not_mut_borrowed(&self) -> bool {
        self.header().borrow_state != MUT_BORROWED
    }

    /// Changes the data length, within the runtime's limit of 10 KiB growth per instruction.
    /// New bytes are zeroed.
    pub fn resize(&self, new_len: usize) -> Result<(), ProgramError> {
        if !self.is_unborrowed() {
            return Err(ProgramError::AccountBorrowFailed);
        }
        let old_len = self.data_len();
        let delta = (new_len as i64).checked_sub(old_len as i64).ok_or(ProgramError::InvalidRealloc)?;
        let total = (self.header().resize_delta as i64).checked_add(delta).ok_or(ProgramError::InvalidRealloc)?;
        if total > MAX_PERMITTED_DATA_INCREASE as i64 {
            return Err(ProgramError::InvalidRealloc);
        }
        // SAFETY: the runtime reserved MAX_PERMITTED_DATA_INCREASE bytes after the original data and
        // `total` stays within it; no borrow is alive.
        unsafe {
            (*self.raw).resize_delta = total as i32;
            (*self.raw).data_len = new_len as u64;
            if new_len > old_len {
                core::ptr::write_bytes(self.data_ptr().add(old_len), 0, new_len.wrapping_sub(old_len)); // new_len > old_len
            }
        }
        Ok(())
    }

    /// Sets the owner. Only the current owner may do this, and only on zeroed data (the runtime
    /// checks both after the instruction).
    ///
    /// # Safety
    /// No reference returned by `owner()` may be alive.
    pub unsafe fn assign(&self, new_owner: &Pubkey) {
        // SAFETY: the caller guarantees no outstanding reference to the owner field.
        unsafe { (*self.raw).owner = *new_owner };
    }

    /// Closes an account this program owns: moves all lamports to `destination`, zeroes and drops
    /// the data and hands the account back to the system program, so a later transfer cannot
    /// revive it as a valid account of this program.
    pub fn close_to(&self, destination: &AccountView) -> Result<(), ProgramError> {
        if pubkey_eq(self.key(), destination.key()) {
            return Err(ProgramError::InvalidArgument);
        }
        let total = destination.lamports().checked_add(self.lamports()).ok_or(ProgramError::ArithmeticOverflow)?;
        destination.set_lamports(total);
        self.set_lamports(0);
        {
            let mut data = self.try_borrow_mut_data()?;
            data.fill(0);
        }
        self.resize(0)?;
        // SAFETY: no reference to the owner field is alive in this function.
        unsafe { self.assign(&crate::cpi::system::ID) };
        Ok(())
    }

    pub(crate) fn raw(&self) -> *mut RawAccount {
        self.raw
    }
}

/// An optional account: `None` when the program id stands in its place (Anchor's convention).
/// Out of line: four word compares inline at every optional account cost more than the call.
#[inline(never)]
pub fn optional<'a>(view: &'a AccountView, program_id: &Pubkey) -> Option<&'a AccountView> {
    if pubkey_eq(view.key(), program_id) {
        None
    } else {
        Some(view)
    }
}

/// Fails with Anchor's `ConstraintAddress` naming the account unless `account` is at `expected`.
/// Out of line: `instruction!` calls it for every `address(..)` account, and a call is much
/// smaller than four inline word compares against constants at every site.
#[inline(never)]
pub fn require_address(account: &AccountView, expected: &Pubkey, name: &str) -> Result<(), ProgramError> {
    if pubkey_eq(account.key(), expected) {
        Ok(())
    } else {
        Err(crate::error::FrameworkError::ConstraintAddress.on(name))
    }
}

/// Fails with Anchor's `RequireKeysNeqViolated` naming `name` when `a` and `b` are the same account
/// (two writable roles filled by one account).
pub fn require_distinct(a: &AccountView, b: &AccountView, name: &str) -> Result<(), ProgramError> {
    if pubkey_eq(a.key(), b.key()) {
        Err(crate::error::FrameworkError::RequireKeysNeqViolated.on(name))
    } else {
        Ok(())
    }
}

/// Moves `amount` lamports out of an account this program owns (the runtime checks ownership after
/// the instruction) into `to`, which must be another account: moving to itself would mint lamports.
pub fn move_lamports(from: &AccountView, to: &AccountView, amount: u64) -> Result<(), ProgramError> {
    require_distinct(from, to, "destination")?;
    let remaining = from.lamports().checked_sub(amount).ok_or(ProgramError::InsufficientFunds)?;
    let credited = to.lamports().checked_add(amount).ok_or(ProgramError::ArithmeticOverflow)?;
    from.set_lamports(remaining);
    to.set_lamports(credited);
    Ok(())
}

/// A shared borrow of account data; released on drop.
pub struct Ref<'a, T: ?Sized> {
    value: &'a T,
    state: *mut u8,
    _marker: PhantomData<&'a u8>,
}

impl<'a, T: ?Sized> Ref<'a, T> {
    /// Narrows the borrow (for example from bytes to a typed state view).
    pub fn map<U: ?Sized>(orig: Ref<'a, T>, f: impl FnOnce(&T) -> &U) -> Ref<'a, U> {
        let value = f(orig.value);
        let state = orig.state;
        core::mem::forget(orig);
        Ref { value, state, _marker: PhantomData }
    }

    /// Narrows the borrow, or releases it and returns the error.
    pub fn try_map<U: ?Sized, E>(orig: Ref<'a, T>, f: impl FnOnce(&T) -> Result<&U, E>) -> Result<Ref<'a, U>, E> {
        let value = f(orig.value)?;
        let state = orig.state;
        core::mem::forget(orig);
        Ok(Ref { value, state, _marker: PhantomData })
    }
}

impl<T: ?Sized> Deref for Ref<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T: ?Sized> Drop for Ref<'_, T> {
    fn drop(&mut self) {
        // SAFETY: `state` is the borrow byte of a live account; this guard holds one shared count.
        unsafe { *self.state = (*self.state).wrapping_add(1) };
    }
}

/// An exclusive borrow of account data; released on drop.
pub struct RefMut<'a, T: ?Sized> {
    value: &'a mut T,
    state: *mut u8,
    _marker: PhantomData<&'a mut u8>,
}

impl<'a, T: ?Sized> RefMut<'a, T> {
    /// Turns the exclusive borrow into a shared one without releasing it in between: after writing
    /// state, keep reading it while the account goes read-only into a CPI.
    pub fn downgrade(orig: RefMut<'a, T>) -> Ref<'a, T> {
        let state = orig.state;
        // SAFETY: `orig` is forgotten right after, so the value is moved out exactly once; the
        // exclusive borrow becomes exactly one shared borrow, which the returned guard releases.
        let value: &'a mut T = unsafe { core::ptr::read(&orig.value) };
        core::mem::forget(orig);
        // SAFETY: `state` is the borrow byte of a live account, held exclusively until now.
        unsafe { *state = UNBORROWED - 1 };
        Ref { value, state, _marker: PhantomData }
    }

    pub fn map<U: ?Sized>(orig: RefMut<'a, T>, f: impl FnOnce(&mut T) -> &mut U) -> RefMut<'a, U> {
        let state = orig.state;
        // SAFETY: `orig` is forgotten right after, so the value is moved out exactly once.
        let value = f(unsafe { core::ptr::read(&orig.value) });
        core::mem::forget(orig);
        RefMut { value, state, _marker: PhantomData }
    }

    pub fn try_map<U: ?Sized, E>(
        orig: RefMut<'a, T>,
        f: impl FnOnce(&mut T) -> Result<&mut U, E>,
    ) -> Result<RefMut<'a, U>, E> {
        let state = orig.state;
        // SAFETY: `orig` is forgotten right after, so the value is moved out exactly once.
        let value = unsafe { core::ptr::read(&orig.value) };
        core::mem::forget(orig);
        match f(value) {
            Ok(value) => Ok(RefMut { value, state, _marker: PhantomData }),
            Err(e) => {
                // SAFETY: this guard held the exclusive borrow; release it.
                unsafe { *state = UNBORROWED };
                Err(e)
            }
        }
    }
}

impl<T: ?Sized> Deref for RefMut<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T: ?Sized> DerefMut for RefMut<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value
    }
}

impl<T: ?Sized> Drop for RefMut<'_, T> {
    fn drop(&mut self) {
        // SAFETY: `state` is the borrow byte of a live account; this guard holds the exclusive borrow.
        unsafe { *self.state = UNBORROWED };
    }
}

/// Host-side construction of accounts for unit tests of handlers' pure parts.
#[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
pub mod host {
    use super::*;
    use std::boxed::Box;
    use std::vec;

    /// An account laid out exactly as the runtime serializes it (header, data, realloc room).
    pub struct TestAccount {
        buf: Box<[u64]>,
    }

    impl TestAccount {
        pub fn new(key: Pubkey, owner: Pubkey, lamports: u64, data: &[u8], signer: bool, writable: bool) -> Self {
            let header = core::mem::size_of::<RawAccount>();
            let words = (header.saturating_add(data.len()).saturating_add(MAX_PERMITTED_DATA_INCREASE)).div_ceil(8);
            let mut buf = vec![0u64; words].into_boxed_slice();
            let raw = buf.as_mut_ptr() as *mut RawAccount;
            // SAFETY: `buf` is 8-aligned and large enough for the header and the data.
            unsafe {
                raw.write(RawAccount {
                    borrow_state: UNBORROWED,
                    is_signer: signer as u8,
                    is_writable: writable as u8,
                    executable: 0,
                    resize_delta: 0,
                    key,
                    owner,
                    lamports,
                    data_len: data.len() as u64,
                });
                core::ptr::copy_nonoverlapping(data.as_ptr(), (raw as *mut u8).add(header), data.len());
            }
            TestAccount { buf }
        }

        pub fn view(&mut self) -> AccountView {
            // SAFETY: the buffer outlives the view in tests that hold the TestAccount.
            unsafe { AccountView::from_raw(self.buf.as_mut_ptr() as *mut RawAccount) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::host::TestAccount;
    use super::*;

    #[test]
    fn borrow_rules_hold_across_copies_of_a_view() {
        let mut acc = TestAccount::new([1; 32], [2; 32], 10, &[7; 16], false, true);
        let a = acc.view();
        let b = a; // a duplicate account in the instruction's list is the same view
        {
            let r1 = a.try_borrow_data().unwrap();
            let r2 = b.try_borrow_data().unwrap();
            assert_eq!(r1[0] + r2[0], 14);
            assert_eq!(b.try_borrow_mut_data().err(), Some(ProgramError::AccountBorrowFailed));
        }
        {
            let mut w = a.try_borrow_mut_data().unwrap();
            w[0] = 9;
            assert!(b.try_borrow_data().is_err());
            assert!(b.try_borrow_mut_data().is_err());
        }
        assert_eq!(b.try_borrow_data().unwrap()[0], 9);
        assert!(a.is_unborrowed());
    }

    #[test]
    fn a_downgraded_borrow_is_shared() {
        let mut acc = TestAccount::new([1; 32], [2; 32], 10, &[7; 4], false, true);
        let a = acc.view();
        let mut w = a.try_borrow_mut_data().unwrap();
        w[0] = 1;
        let r = RefMut::downgrade(w);
        assert!(a.is_not_mut_borrowed() && !a.is_unborrowed());
        assert_eq!(a.try_borrow_data().unwrap()[0] + r[0], 2, "more readers may join");
        assert!(a.try_borrow_mut_data().is_err());
        drop(r);
        assert!(a.is_unborrowed());
    }

    #[test]
    fn resize_zeroes_growth_and_enforces_the_limit() {
        let mut acc = TestAccount::new([1; 32], [2; 32], 10, &[7; 4], false, true);
        let a = acc.view();
        a.resize(8).unwrap();
        assert_eq!(&*a.try_borrow_data().unwrap(), &[7, 7, 7, 7, 0, 0, 0, 0]);
        assert_eq!(a.resize(4 + MAX_PERMITTED_DATA_INCREASE + 1), Err(ProgramError::InvalidRealloc));
        a.resize(4 + MAX_PERMITTED_DATA_INCREASE).unwrap();
        a.resize(0).unwrap();
        assert!(a.data_is_empty());
    }

    #[test]
    fn moves_lamports_between_distinct_accounts_only() {
        let mut a = TestAccount::new([1; 32], [2; 32], 10, &[], false, true);
        let mut b = TestAccount::new([3; 32], [0; 32], 5, &[], false, true);
        let (a, b) = (a.view(), b.view());
        move_lamports(&a, &b, 4).unwrap();
        assert_eq!((a.lamports(), b.lamports()), (6, 9));
        assert_eq!(move_lamports(&a, &b, 7), Err(ProgramError::InsufficientFunds));
        assert_eq!(move_lamports(&a, &a, 1), Err(ProgramError::Custom(crate::error::FrameworkError::RequireKeysNeqViolated as u32)));
        assert_eq!((a.lamports(), b.lamports()), (6, 9), "failures change nothing");
    }

    #[test]
    fn close_moves_lamports_zeroes_data_and_returns_ownership() {
        let mut acc = TestAccount::new([1; 32], [2; 32], 10, &[7; 4], false, true);
        let mut dest = TestAccount::new([3; 32], [0; 32], 5, &[], true, true);
        let (a, d) = (acc.view(), dest.view());
        a.close_to(&d).unwrap();
        assert_eq!((a.lamports(), d.lamports(), a.data_len()), (0, 15, 0));
        assert_eq!(a.owner(), &[0u8; 32]);
        assert_eq!(a.close_to(&a), Err(ProgramError::InvalidArgument));
    }
}
