//! Provenance events: the indexer's contract, emitted in Anchor's `emit_cpi` form (inner
//! instructions survive log truncation). Each is self-contained: ids, parties, amounts and the
//! resulting totals, so a reader of the event alone can update its tables.

use crate::state::{BatchSummary, Hardware, InferenceRecord, NodeStatus};
use escrow_interface::state::Payee;
use sdk::borsh::Slice;
use sdk::Pubkey;

sdk::event! {
    /// An owner registered a node.
    pub struct NodeRegistered {
        pub node: Pubkey,
        pub owner: Pubkey,
        pub authority: Pubkey,
        pub hardware: Hardware,
        /// The payee list [(owner, 10,000 bps)] a single-node escrow must pay, hashed.
        pub payees_hash: [u8; 32],
        pub registered_at: i64,
    }

    /// The owner changed the node's authority or hardware; the values are the new ones.
    pub struct NodeUpdated {
        pub node: Pubkey,
        pub owner: Pubkey,
        pub authority: Pubkey,
        pub hardware: Hardware,
        pub updated_at: i64,
    }

    /// The owner paused, resumed or retired the node.
    pub struct NodeStatusChanged {
        pub node: Pubkey,
        pub owner: Pubkey,
        pub previous: NodeStatus,
        pub status: NodeStatus,
        pub updated_at: i64,
    }

    /// A cluster was created (forming, no members yet).
    pub struct ClusterCreated {
        pub cluster: Pubkey,
        pub authority: Pubkey,
        pub name: [u8; 32],
        pub created_at: i64,
    }

    /// A node joined a cluster (with a provisional share). The cluster is forming until activated.
    pub struct ClusterMemberAdded {
        pub cluster: Pubkey,
        pub node: Pubkey,
        pub owner: Pubkey,
        pub share_bps: u16,
        pub member_count: u8,
        pub version: u32,
        pub updated_at: i64,
    }

    /// A node left a cluster. The cluster is forming until activated again.
    pub struct ClusterMemberRemoved {
        pub cluster: Pubkey,
        pub node: Pubkey,
        pub owner: Pubkey,
        pub share_bps: u16,
        pub member_count: u8,
        pub version: u32,
        pub updated_at: i64,
    }

    /// The cluster's members and shares were validated: escrows for it must pay `payees`.
    pub struct ClusterActivated<'a> {
        pub cluster: Pubkey,
        pub authority: Pubkey,
        pub member_count: u8,
        /// Each member's share, in member order.
        pub shares: Slice<'a, u16>,
        /// Node owners (ascending), each with the sum of its nodes' shares.
        pub payees: Slice<'a, Payee>,
        pub payees_hash: [u8; 32],
        pub version: u32,
        pub updated_at: i64,
    }

    /// The cluster was closed; its rent went back to the authority.
    pub struct ClusterClosed {
        pub cluster: Pubkey,
        pub authority: Pubkey,
        pub version: u32,
        pub rent_returned: u64,
    }

    /// A node recorded one inference and charged its fee to the client's escrow.
    pub struct InferenceRecorded {
        pub node: Pubkey,
        /// The worker key that signed.
        pub authority: Pubkey,
        pub escrow: Pubkey,
        pub client: Pubkey,
        /// The escrow's mint (zero for SOL): the fee's currency.
        pub mint: Pubkey,
        /// The escrow's provider: the node, or the cluster it served in.
        pub provider: Pubkey,
        pub record: InferenceRecord,
        /// Display label of the model (not part of the record hash).
        pub model_name: [u8; 32],
        /// The inference's leaf hash: the charge's usage reference, to dispute it by.
        pub record_hash: [u8; 32],
        /// The escrow's pending bucket (challenge window index) the fee went into.
        pub window: i64,
        pub recorded_at: i64,
        pub last_sequence: u64,
        pub inference_count: u64,
    }

    /// A node committed a batch of inferences and charged their total fee to the client's escrow.
    pub struct BatchRecorded {
        pub node: Pubkey,
        pub authority: Pubkey,
        pub escrow: Pubkey,
        pub client: Pubkey,
        pub mint: Pubkey,
        pub provider: Pubkey,
        pub batch: BatchSummary,
        /// The batch's identity: its charge's usage reference, to dispute it by.
        pub batch_hash: [u8; 32],
        pub last_sequence: u64,
        pub batch_log: Pubkey,
        /// The batch log slot that holds it until `expires_at`.
        pub slot: u32,
        /// When the charge can no longer be disputed.
        pub expires_at: i64,
        /// The escrow's pending bucket (challenge window index) the fee went into.
        pub window: i64,
        pub recorded_at: i64,
        pub inference_count: u64,
        pub batch_count: u64,
    }

    /// A node's batch log was created.
    pub struct BatchLogOpened {
        pub batch_log: Pubkey,
        pub node: Pubkey,
        pub payer: Pubkey,
        pub capacity: u32,
    }

    /// A node's batch log grew.
    pub struct BatchLogGrown {
        pub batch_log: Pubkey,
        pub node: Pubkey,
        pub payer: Pubkey,
        pub capacity: u32,
    }

    /// A node's batch log was closed; its rent went back to the owner.
    pub struct BatchLogClosed {
        pub batch_log: Pubkey,
        pub node: Pubkey,
        pub owner: Pubkey,
        pub rent_returned: u64,
    }
}
