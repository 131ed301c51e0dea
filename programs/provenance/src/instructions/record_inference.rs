//! `record_inference`: a node's worker records one inference and, in the same instruction, charges
//! its fee to the client's escrow through the escrow program: proof and payment are atomic.
//!
//! Checks, before any write: the signer is the node's authority and the node is active; the escrow
//! belongs to the escrow program, its provider is this node (no cluster given) or an active cluster
//! that has the node as a member, and it pays exactly that provider's payee list; the sequence was
//! not recorded before (replay window) and the request id not recently; units and fee are positive
//! and the model name is a label. The escrow program then checks the meter, the price and the balance.

use super::shared::{charge, emit, load_node_for_record, RecordAccounts, RecordEvent, RecordTime};
use crate::errors::ProvenanceError;
use crate::events::InferenceRecorded;
use crate::state::{is_label, leaf_hash, InferenceRecord, EVENT_AUTHORITY, METER};
use sdk::error::require;
use sdk::event::Discriminator;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Records one inference and charges its fee for its units to the escrow, signed by the
    /// node's authority. The charge's usage reference is the inference's leaf hash
    /// (docs/provenance.md).
    record_inference {
        accounts {
            /// The node's worker key.
            node_authority: [signer],
            node: [writable],
            /// The escrow's provider when it is a cluster; omitted (the program id) when the
            /// escrow's provider is the node itself.
            cluster: [optional],
            /// The client's escrow (escrow program), opened with this program's meter as
            /// `program_meter`.
            escrow: [writable],
            /// The escrow program's config PDA.
            escrow_config: [],
            /// This program's meter PDA ["meter"]: signs the charge.
            meter: [address(METER)],
            escrow_program: [address(escrow_interface::ID)],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            /// The inference: sequence (from 1, each used once), request id (non-zero), model,
            /// input and output hashes, units and fee (both positive).
            record: &'a InferenceRecord,
            /// Short display name of the model: printable ASCII, zero-padded.
            model_name: &'a [u8; 32],
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let record = args.record;
    let (units, fee) = (record.units.get(), record.fee.get());
    require(units > 0 && fee > 0, ProvenanceError::ZeroCharge)?;
    require(is_label(args.model_name), ProvenanceError::InvalidLabel)?;
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
    let mut event: InferenceRecorded = unsafe { core::mem::zeroed() };
    event.discriminator = Discriminator::EVENT;
    let mut time = RecordTime::default();
    let mut node = load_node_for_record(&a, event.parties(), &mut time)?;
    let now = time.now;
    node.accept_sequence(record.sequence.get())?;
    node.accept_request(&record.request_id)?;
    node.inference_count.checked_add_assign(1)?;
    node.record_count.checked_add_assign(1)?;
    node.last_recorded_at.set(now);
    event.last_sequence = node.last_sequence.get();
    event.inference_count = node.inference_count.get();
    drop(node);

    let record_hash = leaf_hash(ctx.node.key(), ctx.escrow.key(), record);
    charge(&a, units, fee, &record_hash)?;

    event.record = *record;
    event.model_name = *args.model_name;
    event.record_hash = record_hash;
    event.window = time.window;
    event.recorded_at = now;
    emit(&event, ctx.event_authority, ctx.program)
}
