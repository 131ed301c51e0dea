//! Escrow program state and the accounting rules on it (pure, unit-tested on the host).
//!
//! Money in an escrow is always in exactly one of: `available` (the client's, chargeable),
//! `pending` (charged, inside its challenge window or disputed), `matured` (undisputed past its
//! window or approved, waiting for `settle`), or gone out as `settled` (to payees), `fees` or
//! `refunded`. Conservation: `deposited = settled + fees + refunded + pending + matured + available`.

use crate::errors::EscrowError;
use sdk::hash::sha256;
use sdk::state::{Bool, I64, U16, U32, U64};
use sdk::{ProgramError, Pubkey};

/// Seed of the config PDA.
pub const CONFIG_SEED: &[u8] = b"config";
/// Seed of a supplier's earnings PDA: ["earnings", owner, mint].
pub const EARNINGS_SEED: &[u8] = b"earnings";
/// Seed of a mint's vault state PDA: ["mint_vault", mint].
pub const MINT_VAULT_SEED: &[u8] = b"mint_vault";
/// Seed of a mint's vault token account PDA: ["vault", mint].
pub const VAULT_SEED: &[u8] = b"vault";
/// Protocol fee cap: 10%.
pub const MAX_FEE_BPS: u16 = 1_000;
/// Shares are in basis points and add up to this.
pub const TOTAL_SHARE_BPS: u16 = 10_000;
/// Most payees one escrow can split between (a cluster of suppliers).
pub const MAX_PAYEES: usize = 64;
/// Pending buckets per escrow: at most two are inside their window at any time (the current and
/// the previous window), the rest hold disputes.
pub const BUCKETS: usize = 4;
/// The mint field of an escrow funded in SOL.
pub const SOL_MINT: Pubkey = [0u8; 32];
/// Challenge windows allowed at open: one minute to thirty days.
pub const MIN_CHALLENGE_WINDOW: i64 = 60;
pub const MAX_CHALLENGE_WINDOW: i64 = 30 * 24 * 3600;

sdk::account! {
    /// Protocol configuration (one per deployment, PDA ["config"]).
    pub struct Config {
        /// May change fee, treasury, arbiter and pause.
        pub admin: Pubkey,
        /// Nominated admin; becomes admin when it accepts (two-step transfer). Zero when none.
        pub pending_admin: Pubkey,
        /// Owner of the earnings accounts that receive protocol fees.
        pub treasury: Pubkey,
        /// Resolves disputes.
        pub arbiter: Pubkey,
        /// Protocol fee in basis points of settled charges, fixed into each escrow at open.
        pub fee_bps: U16,
        /// Stops new escrows and charges; never refunds, settlement or withdrawals.
        pub paused: Bool,
        /// Canonical bump of the config PDA.
        pub bump: u8,
    }
}

sdk::types! {
    @pod
    /// One earnings account credited by a settlement (its address: PDA ["earnings", owner, mint]).
    pub struct EarningsCredit {
        pub owner: Pubkey,
        pub amount: U64,
        /// The account's balance after the credit.
        pub balance: U64,
    }

    @pod
    /// One payee of an escrow and its share of each settlement (Pod: payee lists are read in place).
    pub struct Payee {
        /// The supplier's wallet (owner of its earnings account).
        pub owner: Pubkey,
        /// Share in basis points; an escrow's shares add up to 10,000.
        pub share_bps: U16,
    }
}

/// How a charge bucket stands (derived from its amounts, not stored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BucketState {
    /// Unused slot.
    Free,
    /// Collecting charges or inside its challenge window.
    Open,
    /// Part of it is disputed; waits for the arbiter.
    Disputed,
}

sdk::types! {
    @pod
    /// Charges of one challenge window, added up: pending state stays bounded however often a
    /// meter charges.
    pub struct Bucket {
        /// Window index: unix time / challenge window at the time of the charges.
        pub window: I64,
        /// Total charged into this bucket, disputed part included.
        pub amount: U64,
        /// Part of `amount` under dispute.
        pub disputed: U64,
        /// Units charged.
        pub units: U64,
        /// Number of charges.
        pub charges: U32,
        /// sha256 chain over the usage references charged: commits to every charge in order.
        pub usage_chain: [u8; 32],
    }
}

sdk::account! {
    /// A client's escrow for one provider. Its address is a keypair the client chose at open.
    pub struct Escrow {
        pub client: Pubkey,
        /// Token mint, or zero for SOL (then the lamports above rent are the funds).
        pub mint: Pubkey,
        /// The provider: a supplier's wallet or a provenance cluster account.
        pub provider: Pubkey,
        /// The provider's signer allowed to charge.
        pub provider_meter: Pubkey,
        /// A program's PDA signer the client allowed to charge (provenance's meter), or zero.
        pub program_meter: Pubkey,
        /// sha256 of the borsh payee list; `settle` must present the same list.
        pub payees_hash: [u8; 32],
        pub payee_count: u8,
        /// Most a charge may ask per unit.
        pub max_price_per_unit: U64,
        /// Protocol fee, fixed at open so later config changes never touch existing escrows.
        pub fee_bps: U16,
        pub opened_at: I64,
        /// No charges from then on; the client may take back what is available.
        pub expires_at: I64,
        /// Seconds a charge stays open to dispute.
        pub challenge_window: I64,
        /// Set by `request_close`: same effect as expiry from this time. Zero when not requested.
        pub closing_at: I64,
        pub deposited: U64,
        pub settled: U64,
        pub fees: U64,
        pub refunded: U64,
        pub pending: U64,
        pub matured: U64,
        pub charge_count: U64,
        pub buckets: [Bucket; 4],
    }
}

sdk::account! {
    /// A supplier's (or the treasury's) earnings in one mint, PDA ["earnings", owner, mint].
    /// SOL earnings are the lamports above rent; token earnings sit in the mint's vault.
    pub struct Earnings {
        pub owner: Pubkey,
        pub mint: Pubkey,
        /// Withdrawable now.
        pub balance: U64,
        pub total_earned: U64,
        pub total_withdrawn: U64,
        pub bump: u8,
    }
}

sdk::account! {
    /// The program's vault for one token mint, PDA ["mint_vault", mint]; the token account
    /// ["vault", mint] holds every escrow's and every earnings account's tokens of that mint.
    pub struct MintVault {
        pub mint: Pubkey,
        pub token_program: Pubkey,
        pub vault: Pubkey,
        pub decimals: u8,
        pub bump: u8,
    }
}

impl Bucket {
    fn state(&self) -> BucketState {
        if self.disputed.get() > 0 {
            BucketState::Disputed
        } else if self.charges.get() > 0 || self.amount.get() > 0 {
            BucketState::Open
        } else {
            BucketState::Free
        }
    }
}

/// What `Escrow::charge` did, for the event.
pub struct ChargeOutcome {
    pub window: i64,
    pub bucket_amount: u64,
    pub usage_chain: [u8; 32],
}

impl Escrow {
    /// The client's chargeable funds.
    #[inline(never)]
    pub fn available(&self) -> Result<u64, ProgramError> {
        self.deposited
            .get()
            .checked_sub(self.settled.get())
            .and_then(|v| v.checked_sub(self.fees.get()))
            .and_then(|v| v.checked_sub(self.refunded.get()))
            .and_then(|v| v.checked_sub(self.pending.get()))
            .and_then(|v| v.checked_sub(self.matured.get()))
            .ok_or(ProgramError::ArithmeticOverflow)
    }

    /// Funds still held for this escrow (in its account or the mint vault).
    pub fn held(&self) -> Result<u64, ProgramError> {
        self.available()?
            .checked_add(self.pending.get())
            .and_then(|v| v.checked_add(self.matured.get()))
            .ok_or(ProgramError::ArithmeticOverflow)
    }

    /// The time from which the client may withdraw and meters may no longer charge.
    pub fn ends_at(&self) -> i64 {
        let closing = self.closing_at.get();
        if closing != 0 && closing < self.expires_at.get() {
            closing
        } else {
            self.expires_at.get()
        }
    }

    /// The pending bucket (challenge window index) a charge at `now` goes into; provenance
    /// reports it in its record events.
    pub fn window_of(&self, now: i64) -> i64 {
        // Unsigned: SBPF v0 divides u64 in one instruction but i64 in a long sequence. Clocks never
        // read before 1970, and the window length is positive (checked at open).
        let since_epoch = u64::try_from(now).unwrap_or(0);
        since_epoch.checked_div(self.challenge_window.get().unsigned_abs()).unwrap_or(0) as i64
    }

    /// When charges of bucket `window` can no longer be disputed: one full window after the
    /// window in which the last of them was made.
    pub fn matures_at(&self, window: i64) -> Result<i64, ProgramError> {
        // overflow tested by one unsigned division: SBPF v0 has no multiply-high, so `checked_mul`
        // on i64 compiles to a long sequence at every use
        let w = window.checked_add(2).ok_or(ProgramError::ArithmeticOverflow)?;
        let length = self.challenge_window.get();
        match (i64::MAX.unsigned_abs()).checked_div(length.unsigned_abs()) {
            Some(limit) if w.unsigned_abs() <= limit => Ok(w.wrapping_mul(length)),
            _ => Err(ProgramError::ArithmeticOverflow),
        }
    }

    /// Moves the undisputed amount of every bucket past its window (or all of `window` when
    /// `approve` names it) to `matured`; a bucket with a dispute keeps only the disputed part.
    /// Returns the amount matured.
    #[inline(never)]
    pub fn mature(&mut self, now: i64, approve: Option<i64>) -> Result<u64, ProgramError> {
        let mut total = 0u64;
        for i in 0..BUCKETS {
            let bucket = self.buckets[i];
            if bucket.state() == BucketState::Free {
                continue;
            }
            let due = self.matures_at(bucket.window.get())? <= now || approve == Some(bucket.window.get());
            if !due {
                continue;
            }
            let undisputed = bucket.amount.get().checked_sub(bucket.disputed.get()).ok_or(ProgramError::ArithmeticOverflow)?;
            total = total.checked_add(undisputed).ok_or(ProgramError::ArithmeticOverflow)?;
            let b = &mut self.buckets[i];
            b.amount.set(b.disputed.get());
            if b.disputed.get() == 0 {
                *b = Bucket::default();
            }
        }
        self.pending.checked_sub_assign(total)?;
        self.matured.checked_add_assign(total)?;
        Ok(total)
    }

    /// Records a charge of `amount` for `units` into the bucket of the current window.
    pub fn charge(&mut self, now: i64, units: u64, amount: u64, usage_ref: &[u8; 32]) -> Result<ChargeOutcome, ProgramError> {
        if now >= self.ends_at() {
            return Err(EscrowError::EscrowEnded.into());
        }
        if units == 0 || amount == 0 {
            return Err(EscrowError::ZeroCharge.into());
        }
        // amount <= units * price, without the product (no 128-bit arithmetic on SBPF v0):
        // amount - 1 < units * price exactly when (amount - 1) / units < price
        if amount.wrapping_sub(1).checked_div(units).is_none_or(|q| q >= self.max_price_per_unit.get()) {
            return Err(EscrowError::PriceAboveTerms.into());
        }
        self.mature(now, None)?;
        if amount > self.available()? {
            return Err(EscrowError::InsufficientBalance.into());
        }
        let window = self.window_of(now);
        let slot = self
            .buckets
            .iter()
            // one bucket per window, disputed or not: a second one would hide later charges of the
            // window from `dispute` and the dispute from `resolve` (both find the first match)
            .position(|b| b.state() != BucketState::Free && b.window.get() == window)
            .or_else(|| self.buckets.iter().position(|b| b.state() == BucketState::Free))
            .ok_or_else::<ProgramError, _>(|| EscrowError::TooManyOpenDisputes.into())?;
        let bucket = &mut self.buckets[slot];
        bucket.window.set(window);
        bucket.amount.checked_add_assign(amount)?;
        bucket.units.checked_add_assign(units)?;
        bucket.charges.checked_add_assign(1)?;
        bucket.usage_chain = sha256(&[&bucket.usage_chain, usage_ref]);
        let outcome = ChargeOutcome { window, bucket_amount: bucket.amount.get(), usage_chain: bucket.usage_chain };
        self.pending.checked_add_assign(amount)?;
        self.charge_count.checked_add_assign(1)?;
        Ok(outcome)
    }

    pub fn bucket_index(&self, window: i64) -> Result<usize, ProgramError> {
        self.buckets
            .iter()
            .position(|b| b.state() != BucketState::Free && b.window.get() == window)
            .ok_or_else(|| EscrowError::UnknownBucket.into())
    }

    /// Freezes `amount` of bucket `window` until the arbiter resolves it; only inside its window.
    pub fn dispute(&mut self, now: i64, window: i64, amount: u64) -> Result<u64, ProgramError> {
        let i = self.bucket_index(window)?;
        if now >= self.matures_at(window)? {
            return Err(EscrowError::ChallengeWindowClosed.into());
        }
        let b = self.buckets.get_mut(i).ok_or_else::<ProgramError, _>(|| EscrowError::UnknownBucket.into())?;
        let undisputed = b.amount.get().checked_sub(b.disputed.get()).ok_or(ProgramError::ArithmeticOverflow)?;
        if amount == 0 || amount > undisputed {
            return Err(EscrowError::InvalidDisputeAmount.into());
        }
        b.disputed.checked_add_assign(amount)?;
        Ok(b.disputed.get())
    }

    /// Splits the disputed amount of bucket `window`: `to_provider` matures, the rest returns to
    /// the client's available funds.
    pub fn resolve(&mut self, window: i64, to_provider: u64) -> Result<(u64, u64), ProgramError> {
        let i = self.bucket_index(window)?;
        let b = self.buckets.get_mut(i).ok_or_else::<ProgramError, _>(|| EscrowError::UnknownBucket.into())?;
        let disputed = b.disputed.get();
        if disputed == 0 {
            return Err(EscrowError::NoDispute.into());
        }
        let to_client = disputed.checked_sub(to_provider).ok_or_else::<ProgramError, _>(|| EscrowError::InvalidDisputeAmount.into())?;
        b.amount.checked_sub_assign(disputed)?;
        b.disputed.set(0);
        if b.amount.get() == 0 {
            *b = Bucket::default();
        }
        // the refunded part stops being pending and becomes available again (derived)
        self.pending.checked_sub_assign(disputed)?;
        self.matured.checked_add_assign(to_provider)?;
        Ok((to_provider, to_client))
    }
}

impl Default for Bucket {
    fn default() -> Self {
        Bucket { window: I64::new(0), amount: U64::new(0), disputed: U64::new(0), units: U64::new(0), charges: U32::new(0), usage_chain: [0; 32] }
    }
}

/// sha256 of the borsh encoding of a payee list (`Vec<Payee>`), as stored in `Escrow::payees_hash`.
pub fn payees_hash(encoded: &[u8]) -> [u8; 32] {
    sha256(&[encoded])
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test arithmetic on small known values
mod tests {
    use super::*;

    const WINDOW: i64 = 3600;

    fn escrow(deposit: u64) -> Escrow {
        // SAFETY: Escrow is Pod: all-zero bytes are a valid value.
        let mut e: Escrow = unsafe { core::mem::zeroed() };
        e.max_price_per_unit = U64::new(1_000);
        e.expires_at = I64::new(1_000_000);
        e.challenge_window = I64::new(WINDOW);
        e.deposited = U64::new(deposit);
        e
    }

    fn conserved(e: &Escrow) -> bool {
        let out = e.settled.get() + e.fees.get() + e.refunded.get();
        out + e.pending.get() + e.matured.get() + e.available().unwrap() == e.deposited.get()
    }

    #[test]
    fn windows_are_the_euclidean_quotient_and_mature_two_lengths_on() {
        let mut e = escrow(0);
        for len in [60i64, 3_600, 86_400, 2_592_000] {
            e.challenge_window = I64::new(len);
            for now in [0i64, 1, 59, 60, 61, 1_700_000_000, 1_700_003_599, i64::MAX - 3 * len, i64::MAX] {
                let window = e.window_of(now);
                assert_eq!(window, now.div_euclid(len), "now {now}, window {len}");
                let expected = (window + 2).checked_mul(len).ok_or(ProgramError::ArithmeticOverflow);
                assert_eq!(e.matures_at(window), expected, "now {now}, window {len}");
            }
        }
    }

    #[test]
    fn charges_in_one_window_share_a_bucket() {
        let mut e = escrow(10_000);
        for i in 0..1_000 {
            e.charge(10 + i, 1, 5, &[i as u8; 32]).unwrap();
        }
        let used = e.buckets.iter().filter(|b| b.charges.get() > 0).count();
        assert_eq!(used, 1);
        assert_eq!((e.pending.get(), e.available().unwrap(), e.charge_count.get()), (5_000, 5_000, 1_000));
    }

    #[test]
    fn refuses_charges_above_terms_or_balance_or_after_the_end() {
        let mut e = escrow(100);
        assert_eq!(e.charge(0, 1, 1_001, &[0; 32]).err(), Some(ProgramError::Custom(EscrowError::PriceAboveTerms as u32)));
        assert_eq!(e.charge(0, 1, 101, &[0; 32]).err(), Some(ProgramError::Custom(EscrowError::InsufficientBalance as u32)));
        assert_eq!(e.charge(0, 0, 1, &[0; 32]).err(), Some(ProgramError::Custom(EscrowError::ZeroCharge as u32)));
        assert_eq!(e.charge(1_000_000, 1, 1, &[0; 32]).err(), Some(ProgramError::Custom(EscrowError::EscrowEnded as u32)));
        assert!(conserved(&e));
    }

    #[test]
    fn buckets_mature_one_window_after_their_window() {
        let mut e = escrow(1_000);
        e.charge(100, 1, 10, &[1; 32]).unwrap(); // window 0, matures at 2 * WINDOW
        assert_eq!(e.mature(2 * WINDOW - 1, None).unwrap(), 0);
        assert_eq!(e.mature(2 * WINDOW, None).unwrap(), 10);
        assert_eq!((e.pending.get(), e.matured.get()), (0, 10));
        assert!(e.buckets.iter().all(|b| b.state() == BucketState::Free));
    }

    #[test]
    fn disputes_freeze_part_of_a_bucket_until_resolved() {
        let mut e = escrow(1_000);
        e.charge(100, 1, 300, &[1; 32]).unwrap();
        assert_eq!(e.dispute(200, 0, 100).unwrap(), 100);
        assert!(e.dispute(200, 0, 201).is_err(), "only the undisputed rest can be disputed");
        assert_eq!(e.mature(10 * WINDOW, None).unwrap(), 200);
        assert_eq!(e.pending.get(), 100, "the disputed part stays pending");
        assert!(e.dispute(10 * WINDOW, 0, 1).is_err(), "window closed");
        assert_eq!(e.resolve(0, 30).unwrap(), (30, 70));
        assert_eq!((e.pending.get(), e.matured.get(), e.available().unwrap()), (0, 230, 770));
        assert!(e.resolve(0, 0).is_err(), "no dispute left");
        assert!(conserved(&e));
    }

    #[test]
    fn approval_matures_a_bucket_early() {
        let mut e = escrow(1_000);
        e.charge(100, 1, 40, &[1; 32]).unwrap();
        assert_eq!(e.mature(101, Some(0)).unwrap(), 40);
        assert!(e.bucket_index(0).is_err());
    }

    #[test]
    fn charges_after_a_dispute_join_the_window_bucket_and_stay_disputable() {
        let mut e = escrow(1_000);
        e.charge(100, 1, 100, &[1; 32]).unwrap();
        e.dispute(200, 0, 100).unwrap();
        e.charge(300, 1, 50, &[2; 32]).unwrap();
        assert_eq!(e.buckets.iter().filter(|b| b.state() != BucketState::Free).count(), 1);
        assert_eq!(e.dispute(400, 0, 50).unwrap(), 150, "the later charge can be disputed too");
        assert_eq!(e.resolve(0, 0).unwrap(), (0, 150));
        assert!(conserved(&e));
    }

    #[test]
    fn disputed_buckets_bound_the_pending_state() {
        let mut e = escrow(1_000_000);
        for w in 0..BUCKETS as i64 {
            e.charge(w * WINDOW, 1, 10, &[0; 32]).unwrap();
            e.dispute(w * WINDOW, w, 10).unwrap();
        }
        let err = e.charge(BUCKETS as i64 * WINDOW, 1, 10, &[0; 32]).err();
        assert_eq!(err, Some(ProgramError::Custom(EscrowError::TooManyOpenDisputes as u32)));
        e.resolve(0, 10).unwrap();
        e.charge(BUCKETS as i64 * WINDOW, 1, 10, &[0; 32]).unwrap();
    }

    /// Seeded random operation sequences: money is conserved at every step and nothing
    /// goes negative, whatever the order of charges, disputes, approvals and resolutions.
    #[test]
    fn conservation_holds_over_random_sequences() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for sequence in 0..500 {
            let mut e = escrow(1 + next(1_000_000));
            let mut now = 0i64;
            for _ in 0..100 {
                now += next(WINDOW as u64) as i64;
                let window = now.div_euclid(WINDOW) - next(3) as i64;
                let _ = match next(5) {
                    0 | 1 => e.charge(now, 1 + next(10), 1 + next(5_000), &[0; 32]).map(|_| ()),
                    2 => e.dispute(now, window, 1 + next(3_000)).map(|_| ()),
                    3 => e.mature(now, Some(window)).map(|_| ()),
                    _ => e.resolve(window, next(3_000)).map(|_| ()),
                };
                assert!(conserved(&e), "sequence {sequence}: conservation broken");
                let bucket_sum: u64 = e.buckets.iter().map(|b| b.amount.get()).sum();
                assert_eq!(bucket_sum, e.pending.get(), "sequence {sequence}: buckets and pending disagree");
            }
        }
    }
}
