//! Rewards events: the indexer's contract. Each is self-contained. Events of the distributor's life
//! carry its whole resulting state (`state`), so an indexer upserts its row from the event alone;
//! `RewardClaimed`, emitted by the hot instruction, carries just the claim and the new totals.

use crate::state::{ClaimStatus, Distributor};
use sdk::Pubkey;

sdk::event! {
    /// A distributor was created.
    pub struct DistributorCreated {
        pub distributor: Pubkey,
        pub state: Distributor,
    }

    /// Rewards were deposited.
    pub struct DistributorFunded {
        pub distributor: Pubkey,
        pub funder: Pubkey,
        pub amount: u64,
        pub total_funded: u64,
        /// Rewards held after the deposit (vault balance, or lamports above rent).
        pub balance: u64,
    }

    /// The authority published an epoch's root of cumulative entitlements; `state` holds the root,
    /// its epoch, guards and publication time, and the totals claimed so far.
    pub struct RootPublished {
        pub distributor: Pubkey,
        pub previous_epoch: u64,
        pub state: Distributor,
    }

    /// A supplier received rewards, in its wallet (SOL) or a token account it owns (the
    /// instruction's `destination` account). Its claim status is the PDA ["claim_status",
    /// distributor, supplier]; who paid its rent is recorded there.
    pub struct RewardClaimed {
        pub distributor: Pubkey,
        pub supplier: Pubkey,
        /// Epoch of the root the claim was proven against.
        pub epoch: u64,
        pub amount: u64,
        /// The supplier's cumulative amount received (its leaf's amount).
        pub claimed: u64,
        pub total_claimed: u64,
        pub num_nodes_claimed: u64,
        /// True when this claim created the claim status (the supplier's first).
        pub first_claim: bool,
    }

    /// The authority changed treasury, expiry or pause.
    pub struct DistributorUpdated {
        pub distributor: Pubkey,
        pub state: Distributor,
    }

    /// The authority nominated a successor (`state.pending_authority`; zero cancels).
    pub struct AuthorityProposed {
        pub distributor: Pubkey,
        pub state: Distributor,
    }

    /// The nominated authority accepted.
    pub struct AuthorityAccepted {
        pub distributor: Pubkey,
        pub previous_authority: Pubkey,
        pub state: Distributor,
    }

    /// After expiry, what was unclaimed went to the treasury and the distributor (and its vault)
    /// closed, their rent back to the creator. `state` is the distributor's last state.
    pub struct DistributorClawedBack {
        pub distributor: Pubkey,
        /// The treasury's wallet (SOL) or token account.
        pub destination: Pubkey,
        pub amount: u64,
        pub rent_returned: u64,
        pub state: Distributor,
    }

    /// A claim status of a closed distributor was closed; its rent went back to its payer.
    pub struct ClaimStatusClosed {
        pub claim_status: Pubkey,
        pub rent_returned: u64,
        pub state: ClaimStatus,
    }
}
