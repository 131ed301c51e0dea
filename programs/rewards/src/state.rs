//! Rewards program state, the reward leaf, and the rules on them (pure, unit-tested on the host).
//!
//! A distributor pays one reward mint (SOL or an SPL token). Each epoch its authority publishes the
//! merkle root of every supplier's *cumulative* entitlement; a supplier claims the difference between
//! its leaf and what its claim status says it already received. Lifetime totals bound every root:
//! `total_claimed <= max_total_claim` and `num_nodes_claimed <= max_num_nodes`.

use crate::errors::RewardsError;
use sdk::hash::{sha256, Hash};
use sdk::merkle;
use sdk::state::{Bool, I64, U64};
use sdk::{ProgramError, Pubkey};

/// Seed of a distributor PDA: ["distributor", mint, creator, id (u64 LE)].
pub const DISTRIBUTOR_SEED: &[u8] = b"distributor";
/// The seed of a supplier's claim status, whose address is derived with it from the distributor (the
/// base) and this program: lowercase hex of the supplier's first 16 bytes (32 characters, the most
/// a seed takes). No bump, so one address per (distributor, supplier).
pub fn claim_status_seed(supplier: &Pubkey) -> [u8; 32] {
    let mut head = [0u8; 16];
    head.copy_from_slice(&supplier[..16]);
    sdk::pda::hex_seed(&head)
}
/// The `mint` of a distributor paying SOL.
pub const SOL_MINT: Pubkey = [0u8; 32];
/// Bytes of a reward leaf: distributor, supplier, cumulative amount (u64 LE).
pub const LEAF_LEN: usize = 32 + 32 + 8;

sdk::account! {
    /// A reward distributor for one mint, PDA ["distributor", mint, creator, id]. SOL rewards are the
    /// lamports above `rent_reserve`; token rewards sit in the vault token account it owns.
    pub struct Distributor {
        /// Signed the creation and paid the rent (which returns to it at close); part of the address.
        pub creator: Pubkey,
        /// The creator's number for this distributor; part of the address.
        pub id: U64,
        /// Reward mint, or zero for SOL.
        pub mint: Pubkey,
        /// SPL Token or Token-2022 (zero for SOL).
        pub token_program: Pubkey,
        /// Vault token account owned by the distributor (zero for SOL).
        pub vault: Pubkey,
        /// Publishes roots, updates, pauses.
        pub authority: Pubkey,
        /// Nominated authority; takes over when it accepts (two-step transfer). Zero when none.
        pub pending_authority: Pubkey,
        /// Wallet that receives what is unclaimed at clawback.
        pub treasury: Pubkey,
        /// Merkle root of the current epoch's cumulative entitlements (zero before the first root).
        pub root: [u8; 32],
        /// Epoch of `root`; strictly increasing; zero before the first root.
        pub epoch: U64,
        /// Guard of the current root: the most all suppliers together may ever have claimed.
        pub max_total_claim: U64,
        /// Guard of the current root: the most suppliers that may ever have claimed.
        pub max_num_nodes: U64,
        /// Paid out so far, over the distributor's life.
        pub total_claimed: U64,
        /// Suppliers that have claimed at least once (claim statuses created).
        pub num_nodes_claimed: U64,
        /// Deposited through `fund_distributor` (direct transfers to the vault are not counted).
        pub total_funded: U64,
        pub created_at: I64,
        /// Slot of the creation: tells this distributor from an earlier one closed at the same
        /// address (see `ClaimStatus::distributor_slot`).
        pub created_slot: U64,
        /// When `root` was published.
        pub published_at: I64,
        /// No claims, funding or roots from then on; anyone may claw back what is left.
        pub expires_at: I64,
        /// Lamports that keep the distributor account rent-exempt; SOL rewards are the rest.
        pub rent_reserve: U64,
        /// Lamports a claim status needs to be rent-exempt (read from the Rent sysvar at creation,
        /// so that first claims spare the sysvar).
        pub claim_status_rent: U64,
        /// The mint's decimals (0 for SOL).
        pub decimals: u8,
        /// Stops claims (not funding, roots or clawback).
        pub paused: Bool,
        /// Canonical bump of the distributor PDA.
        pub bump: u8,
    }
}

sdk::account! {
    /// What one supplier has received from one distributor, at the address with seed
    /// (distributor, `claim_status_seed(supplier)`, this program); created by its first claim, kept
    /// for the distributor's whole life.
    pub struct ClaimStatus {
        pub distributor: Pubkey,
        pub supplier: Pubkey,
        /// Paid this account's rent at the first claim; gets it back by `close_claim_status`.
        pub rent_payer: Pubkey,
        /// Cumulative amount received.
        pub claimed: U64,
        /// Epoch of the root of the last claim.
        pub last_epoch: U64,
        /// `created_slot` of the distributor it was created for. A different value means the status
        /// is left over from an earlier distributor closed at the same address: it counts as new.
        pub distributor_slot: U64,
    }
}

/// The bytes a reward leaf commits to (docs/rewards.md): the distributor (so a proof never
/// replays on another distributor), the supplier, and its cumulative entitlement.
pub fn leaf_bytes(distributor: &Pubkey, supplier: &Pubkey, cumulative_amount: u64) -> [u8; LEAF_LEN] {
    let mut out = [0u8; LEAF_LEN];
    out[..32].copy_from_slice(distributor);
    out[32..64].copy_from_slice(supplier);
    out[64..].copy_from_slice(&cumulative_amount.to_le_bytes());
    out
}

/// sha256(0x00 ++ distributor ++ supplier ++ cumulative_amount LE): `merkle::hash_leaf` of
/// `leaf_bytes`.
pub fn leaf_hash(distributor: &Pubkey, supplier: &Pubkey, cumulative_amount: u64) -> Hash {
    let mut tail = [0u8; 40];
    tail[..32].copy_from_slice(supplier);
    tail[32..].copy_from_slice(&cumulative_amount.to_le_bytes());
    leaf_hash_of_tail(distributor, &tail)
}

/// As `leaf_hash`, from the leaf's last 40 bytes (supplier, cumulative amount LE) as they lie in
/// the `claim` arguments: the syscall reads three parts in place, nothing is assembled.
#[inline(always)]
pub fn leaf_hash_of_tail(distributor: &Pubkey, supplier_and_amount: &[u8; 40]) -> Hash {
    sha256(&[&[merkle::LEAF_PREFIX], distributor, supplier_and_amount])
}

/// What a root publication changed, for the event.
pub struct Publication {
    pub previous_epoch: u64,
}

impl Distributor {
    /// True from `expires_at` on.
    pub fn is_expired(&self, now: i64) -> bool {
        now >= self.expires_at.get()
    }

    /// Installs the root of `epoch`. The epoch must be greater than the current one, the root
    /// non-zero, and the guards no lower than what has already been claimed.
    pub fn publish(&mut self, now: i64, epoch: u64, root: &Hash, max_total_claim: u64, max_num_nodes: u64) -> Result<Publication, ProgramError> {
        if self.is_expired(now) {
            return Err(RewardsError::DistributorExpired.into());
        }
        let previous_epoch = self.epoch.get();
        if epoch <= previous_epoch {
            return Err(RewardsError::EpochNotIncreasing.into());
        }
        if sdk::pubkey::pubkey_eq(root, &[0u8; 32]) {
            return Err(RewardsError::InvalidRoot.into());
        }
        if max_total_claim < self.total_claimed.get() {
            return Err(RewardsError::GuardBelowClaimed.into());
        }
        if max_num_nodes < self.num_nodes_claimed.get() {
            return Err(RewardsError::GuardBelowClaimed.into());
        }
        self.root = *root;
        self.epoch.set(epoch);
        self.max_total_claim.set(max_total_claim);
        self.max_num_nodes.set(max_num_nodes);
        self.published_at.set(now);
        Ok(Publication { previous_epoch })
    }

    /// Books a claim of `cumulative_amount` by a supplier that has `claimed` so far (`first` when
    /// its claim status is new) and returns the amount due. The proof was checked by the caller.
    /// Claims stay open after expiry until the clawback closes the distributor.
    pub fn claim(&mut self, claimed: u64, cumulative_amount: u64, first: bool) -> Result<u64, ProgramError> {
        if self.paused.get() {
            return Err(RewardsError::Paused.into());
        }
        let due = cumulative_amount
            .checked_sub(claimed)
            .filter(|d| *d > 0)
            .ok_or_else(|| ProgramError::from(RewardsError::NothingToClaim))?;
        let total = self
            .total_claimed
            .get()
            .checked_add(due)
            .filter(|t| *t <= self.max_total_claim.get())
            .ok_or_else(|| ProgramError::from(RewardsError::ExceedsMaxTotalClaim))?;
        if first {
            let nodes = self
                .num_nodes_claimed
                .get()
                .checked_add(1)
                .filter(|n| *n <= self.max_num_nodes.get())
                .ok_or_else(|| ProgramError::from(RewardsError::ExceedsMaxNumNodes))?;
            self.num_nodes_claimed.set(nodes);
        }
        self.total_claimed.set(total);
        Ok(due)
    }

    /// Most a root may still pay out: `max_total_claim - total_claimed`.
    pub fn outstanding(&self) -> u64 {
        self.max_total_claim.get().saturating_sub(self.total_claimed.get())
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use sdk::state::AccountState;

    fn err(e: RewardsError) -> Option<ProgramError> {
        Some(ProgramError::Custom(e as u32))
    }

    fn distributor() -> Distributor {
        let mut d: Distributor = *sdk::state::from_bytes(&[0u8; core::mem::size_of::<Distributor>()]).unwrap();
        d.expires_at = I64::new(1_000);
        d
    }

    fn hex(h: &[u8]) -> std::string::String {
        h.iter().map(|b| std::format!("{b:02x}")).collect()
    }

    #[test]
    fn layouts_have_the_documented_sizes() {
        assert_eq!(Distributor::LEN, 8 + 32 * 8 + 8 * 13 + 3);
        assert_eq!(ClaimStatus::LEN, 8 + 32 * 3 + 8 * 3);
    }

    #[test]
    fn publishes_roots_with_strictly_increasing_epochs() {
        let mut d = distributor();
        assert_eq!(d.publish(10, 1, &[0; 32], 100, 2).err(), err(RewardsError::InvalidRoot));
        assert_eq!(d.publish(10, 1, &[1; 32], 100, 2).unwrap().previous_epoch, 0);
        assert_eq!(d.publish(11, 1, &[2; 32], 100, 2).err(), err(RewardsError::EpochNotIncreasing));
        assert_eq!(d.publish(11, 0, &[2; 32], 100, 2).err(), err(RewardsError::EpochNotIncreasing));
        assert_eq!(d.publish(12, 5, &[2; 32], 100, 2).unwrap().previous_epoch, 1);
        assert_eq!((d.epoch.get(), d.root, d.published_at.get()), (5, [2; 32], 12));
        assert_eq!(d.publish(1_000, 6, &[3; 32], 100, 2).err(), err(RewardsError::DistributorExpired));
    }

    #[test]
    fn roots_cannot_lower_the_guards_below_what_was_claimed() {
        let mut d = distributor();
        d.publish(0, 1, &[1; 32], 100, 2).unwrap();
        d.claim(0, 60, true).unwrap();
        assert_eq!(d.publish(0, 2, &[1; 32], 59, 2).err(), err(RewardsError::GuardBelowClaimed));
        assert_eq!(d.publish(0, 2, &[1; 32], 60, 0).err(), err(RewardsError::GuardBelowClaimed));
        d.publish(0, 2, &[1; 32], 60, 1).unwrap();
        assert_eq!(d.outstanding(), 0);
    }

    #[test]
    fn claims_pay_the_cumulative_difference_within_the_guards() {
        let mut d = distributor();
        d.publish(0, 1, &[1; 32], 100, 2).unwrap();
        assert_eq!(d.claim(0, 40, true), Ok(40));
        assert_eq!(d.claim(40, 40, false).err(), err(RewardsError::NothingToClaim), "same leaf twice");
        assert_eq!(d.claim(40, 30, false).err(), err(RewardsError::NothingToClaim), "a lower leaf");
        assert_eq!(d.claim(40, 70, false), Ok(30));
        assert_eq!(d.claim(0, 31, true).err(), err(RewardsError::ExceedsMaxTotalClaim));
        assert_eq!(d.claim(0, 30, true), Ok(30));
        assert_eq!(d.claim(0, 0, true).err(), err(RewardsError::NothingToClaim));
        assert_eq!((d.total_claimed.get(), d.num_nodes_claimed.get()), (100, 2));
        d.publish(0, 2, &[1; 32], 200, 2).unwrap();
        assert_eq!(d.claim(0, 1, true).err(), err(RewardsError::ExceedsMaxNumNodes));
        assert_eq!(d.claim(70, u64::MAX, false).err(), err(RewardsError::ExceedsMaxTotalClaim), "overflow is a guard failure");
        d.paused = Bool::new(true);
        assert_eq!(d.claim(70, 80, false).err(), err(RewardsError::Paused));
        assert_eq!((d.total_claimed.get(), d.num_nodes_claimed.get()), (100, 2), "failed claims change nothing");
        d.paused = Bool::new(false);
        d.expires_at = I64::new(0);
        assert_eq!(d.claim(70, 80, false), Ok(10), "claims stay open after expiry, until the clawback");
    }

    #[test]
    fn successful_claims_and_publications_log_nothing() {
        let mut d = distributor();
        sdk::log::host::take();
        d.publish(0, 1, &[1; 32], 100, 2).unwrap();
        d.claim(0, 40, true).unwrap();
        assert!(sdk::log::host::take().is_empty(), "errors must be built only on failure (they log)");
        d.claim(40, 40, false).unwrap_err();
        assert_eq!(sdk::log::host::take().len(), 1);
    }

    /// Seeded random claim sequences: the lifetime totals never pass the guards and equal the sum
    /// of what each supplier received.
    #[test]
    fn totals_stay_within_the_guards_over_random_sequences() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200 {
            let mut d = distributor();
            let mut claimed = [0u64; 8];
            let mut created = [false; 8];
            let mut entitled = [0u64; 8];
            for epoch in 1..20u64 {
                for e in entitled.iter_mut() {
                    *e += next(1_000);
                }
                let total: u64 = entitled.iter().sum();
                let max_total = total.saturating_sub(next(500)).max(d.total_claimed.get());
                let max_nodes = (2 + next(7)).max(d.num_nodes_claimed.get());
                d.publish(0, epoch, &[1; 32], max_total, max_nodes).unwrap();
                for _ in 0..4 {
                    let s = next(8) as usize;
                    if let Ok(due) = d.claim(claimed[s], entitled[s], !created[s]) {
                        assert_eq!(due, entitled[s] - claimed[s]);
                        claimed[s] = entitled[s];
                        created[s] = true;
                    }
                    assert!(d.total_claimed.get() <= d.max_total_claim.get());
                    assert!(d.num_nodes_claimed.get() <= d.max_num_nodes.get());
                    assert_eq!(d.total_claimed.get(), claimed.iter().sum::<u64>());
                    assert_eq!(d.num_nodes_claimed.get(), created.iter().filter(|c| **c).count() as u64);
                }
            }
        }
    }

    /// Golden vectors shared with ts-client (tests/rewards/distribution.test.ts, docs/rewards.md).
    #[test]
    fn golden_leaf_and_root() {
        let distributor: Pubkey = [7; 32];
        let leaves: std::vec::Vec<Hash> = (0..3u8).map(|i| leaf_hash(&distributor, &[i + 1; 32], 1_000 * (i as u64 + 1))).collect();
        let bytes = leaf_bytes(&distributor, &[1; 32], 1_000);
        assert_eq!(merkle::hash_leaf(&[&bytes]), leaves[0]);
        assert_eq!(hex(&bytes[64..]), "e803000000000000");
        assert_eq!(hex(&leaves[0]), GOLDEN_LEAF_0);
        let root = merkle::hash_node(&merkle::hash_node(&leaves[0], &leaves[1]), &leaves[2]);
        assert_eq!(hex(&root), GOLDEN_ROOT_3);
        assert!(merkle::verify(leaves[1], &[leaves[0], leaves[2]], &root));
        assert!(!merkle::verify(leaf_hash(&[8; 32], &[2; 32], 2_000), &[leaves[0], leaves[2]], &root), "another distributor");
    }

    const GOLDEN_LEAF_0: &str = "f67aee8daee474b8fe573e81390efc94ee8c59221e01817149ec32c1d7884faa";
    const GOLDEN_ROOT_3: &str = "35855471c91b0a6382328e17392b5df3f209c5a8fb56be5435b1ecacef8be497";
}
