//! `record_batch`: a node's worker commits a merkle root over a batch of inference leaves (any
//! number, up to 2^32) with their totals and sequence range, and charges the total to the client's
//! escrow in the same instruction. The batch hash goes into the node's batch log until the charge
//! can no longer be disputed, so `verify_inclusion` can prove any leaf of it; no account is created,
//! so a batch costs one signature whatever its size.
//!
//! Checks: as `record_inference` (authority, node active, escrow's provider and payees), plus the
//! batch log belongs to the node and its next slot is free, and the range starts above the node's
//! highest sequence. Leaves themselves are off chain: the client checks them against the root.

use super::shared::{charge, emit, load_batch_log_mut, load_node_for_record, RecordAccounts, RecordEvent, RecordTime};
use crate::errors::ProvenanceError;
use crate::events::BatchRecorded;
use crate::state::{batch_hash, BatchLog, BatchSummary, EVENT_AUTHORITY, METER};
use sdk::error::require;
use sdk::event::Discriminator;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Records a batch of inferences (root, sequence range, totals) and charges its total fee for
    /// its total units to the escrow. The charge's usage reference is the batch hash.
    record_batch {
        accounts {
            node_authority: [signer],
            node: [writable],
            /// The node's batch log, PDA ["batch_log", node].
            batch_log: [writable],
            /// The escrow's provider when it is a cluster; omitted when it is the node itself.
            cluster: [optional],
            escrow: [writable],
            escrow_config: [],
            meter: [address(METER)],
            escrow_program: [address(escrow_interface::ID)],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            /// Merkle root over the leaves (docs/merkle.md, leaves in docs/provenance.md), first
            /// sequence, leaf count (at least 1) and totals (positive).
            batch: &'a BatchSummary,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let batch = Args::parse(data)?.batch;
    let (units, fee) = (batch.total_units.get(), batch.total_fee.get());
    require(units > 0 && fee > 0, ProvenanceError::ZeroCharge)?;
    let a = RecordAccounts {
        node_authority: ctx.node_authority,
        node: ctx.node,
        cluster: ctx.cluster,
        escrow: ctx.escrow,
        escrow_config: ctx.escrow_config,
        meter: ctx.meter,
        escrow_program: ctx.escrow_program,
    };
    // SAFETY: the event is plain data (packed byte arrays and integers): all-zero bytes are valid.
    let mut event: BatchRecorded = unsafe { core::mem::zeroed() };
    event.discriminator = Discriminator::EVENT;
    let mut time = RecordTime::default();
    let mut node = load_node_for_record(&a, event.parties(), &mut time)?;
    let now = time.now;
    let leaf_count = batch.leaf_count.get();
    event.last_sequence = node.accept_sequence_range(batch.first_sequence.get(), leaf_count)?;
    node.inference_count.checked_add_assign(leaf_count as u64)?;
    node.batch_count.checked_add_assign(1)?;
    node.last_recorded_at.set(now);
    event.inference_count = node.inference_count.get();
    event.batch_count = node.batch_count.get();
    drop(node);

    let batch_hash = batch_hash(ctx.node.key(), ctx.escrow.key(), batch);
    event.slot = {
        let mut log = load_batch_log_mut(ctx.batch_log, ctx.node.key())?;
        let (log_header, entries) = BatchLog::view_mut(&mut log)?;
        BatchLog::claim(log_header, entries, &batch_hash, time.matures_at, now)?
    };
    charge(&a, units, fee, &batch_hash)?;

    event.batch = *batch;
    event.batch_hash = batch_hash;
    event.batch_log = *ctx.batch_log.key();
    event.expires_at = time.matures_at;
    event.window = time.window;
    event.recorded_at = now;
    emit(&event, ctx.event_authority, ctx.program)
}
