//! `verify_inclusion`: anyone proves on chain that an inference leaf belongs to a batch a node
//! recorded, for a dispute. It changes no state and emits no event: the successful instruction, in a
//! confirmed transaction, is the program-checked record (indexers decode it from the IDL).
//!
//! Checks: the batch (header fields given, node from the log, escrow from the leaf) hashes to the
//! batch hash in the named slot of the node's batch log; the leaf's node is the log's node and its
//! sequence lies in the batch's range; the proof links the leaf hash to the root.

use crate::errors::ProvenanceError;
use crate::state::{batch_hash, BatchLog, BatchSummary, InferenceLeaf};
use sdk::borsh::Slice;
use sdk::error::require;
use sdk::merkle;
use sdk::pubkey::pubkey_eq;
use sdk::state::check_owner;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Verifies that `leaf` is in the batch held in `slot` of the batch log.
    verify_inclusion {
        accounts {
            /// The batch log of the node that recorded the batch.
            batch_log: [],
        }
        args {
            /// The log slot the batch was recorded in (`BatchRecorded.slot`).
            slot: u32,
            /// The batch as recorded (`BatchRecorded.batch`).
            batch: &'a BatchSummary,
            leaf: &'a InferenceLeaf,
            /// Sibling hashes from the leaf up to the root (at most 32).
            proof: Slice<'a, [u8; 32]>,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let (batch, leaf) = (args.batch, args.leaf);
    check_owner(ctx.batch_log, &crate::ID)?;
    let batch_hash = batch_hash(&leaf.node, &leaf.escrow, batch);
    {
        let data = ctx.batch_log.try_borrow_data()?;
        let (log, entries) = BatchLog::view(&data)?;
        require(pubkey_eq(&log.node, &leaf.node), ProvenanceError::LeafNotInBatch)?;
        let entry = entries.get(args.slot as usize);
        require(entry.is_some_and(|e| pubkey_eq(&e.batch_hash, &batch_hash)), ProvenanceError::UnknownBatch)?;
    }
    let offset = leaf.record.sequence.get().checked_sub(batch.first_sequence.get());
    require(offset.is_some_and(|o| o < batch.leaf_count.get() as u64), ProvenanceError::LeafNotInBatch)?;
    require(merkle::verify(leaf.hash(), args.proof.items(), &batch.root), ProvenanceError::InvalidProof)
}
