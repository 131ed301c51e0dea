//! Pieces several instructions share: events, the records' escrow checks and charge, role checks
//! and batch log access.
//!
//! Shared functions take at most five register arguments (bundling accounts in a struct when
//! more are needed): the SBPF linker inlines anything larger at every call site.

use crate::errors::ProvenanceError;
use crate::events::{BatchRecorded, InferenceRecorded};
use crate::state::{is_valid_hardware, BatchLog, Cluster, ClusterStatus, Hardware, Node, NodeStatus, EVENT_AUTHORITY, EVENT_AUTHORITY_BUMP, METER_BUMP, METER_SEED};
use escrow_interface::state::Escrow;
use sdk::account::RefMut;
use sdk::borsh::Slice;
use sdk::cpi::system::NewAccount;
use sdk::cpi::{invoke_signed, AccountMeta, Instruction, Seed, Signer};
use sdk::error::{require, FrameworkError};
use sdk::event::{Event, EventCpi};
use sdk::hash::Hash;
use sdk::pubkey::pubkey_eq;
use sdk::state::{check_owner, AccountState};
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

/// Emits `event` as Anchor's `emit_cpi!` does (`Event::emit_cpi`), signed by this program's event
/// authority.
#[inline(always)]
pub fn emit<E: Event>(event: &E, event_authority: &AccountView, program: &AccountView) -> ProgramResult {
    if E::IN_PLACE {
        #[allow(clippy::let_unit_value)]
        let () = E::FITS;
        // SAFETY: IN_PLACE events have no padding (`repr(C, packed)` of the discriminator and
        // PLAIN fields).
        emit_plain(unsafe { sdk::event::memory_of(event) }, event_authority, program)
    } else {
        event.emit_cpi(&event_cpi(event_authority, program))
    }
}

/// `emit` of an event already laid out as logged (discriminator, then borsh), not generic: one
/// out-of-line copy of the `EventCpi` setup instead of one at each of the program's emit sites.
#[inline(never)]
pub fn emit_plain(event: &[u8], event_authority: &AccountView, program: &AccountView) -> ProgramResult {
    sdk::event::emit_cpi_data(event, &event_cpi(event_authority, program))
}

fn event_cpi<'a>(event_authority: &'a AccountView, program: &'a AccountView) -> EventCpi<'a> {
    EventCpi { program_id: &crate::ID, event_authority, event_authority_address: &EVENT_AUTHORITY, program, bump: EVENT_AUTHORITY_BUMP }
}

/// Creates `account` (a new keypair that signed) with `space` bytes, owned by this program, its
/// rent-exempt balance paid by `payer`. One copy for the three instructions that create accounts
/// (the rent arithmetic is long on SBPF).
#[inline(never)]
pub fn create_program_account(payer: &AccountView, account: &AccountView, space: usize) -> ProgramResult {
    NewAccount::rent_exempt(payer, account, space, &crate::ID)?.create(&[])
}

/// The items of a borsh `Vec<u16>` argument, read straight from its little-endian bytes (smaller
/// than `Slice::iter`, which decodes each item through a reader).
pub fn u16_items<'a>(slice: &Slice<'a, u16>) -> impl Iterator<Item = u16> + 'a {
    slice.item_bytes().chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]))
}

/// The accounts of a record (`record_inference`, `record_batch`) that charges an escrow.
pub struct RecordAccounts<'a> {
    pub node_authority: &'a AccountView,
    pub node: &'a AccountView,
    pub cluster: Option<&'a AccountView>,
    pub escrow: &'a AccountView,
    pub escrow_config: &'a AccountView,
    pub meter: &'a AccountView,
    pub escrow_program: &'a AccountView,
}

/// The parties both record events (`InferenceRecorded`, `BatchRecorded`) start with, in their
/// order: `load_node_for_record` writes them into the event in place.
#[repr(C)]
pub struct RecordParties {
    pub node: Pubkey,
    /// The node authority that signed.
    pub authority: Pubkey,
    pub escrow: Pubkey,
    pub client: Pubkey,
    pub mint: Pubkey,
    /// The node, or the cluster it serves in.
    pub provider: Pubkey,
}

/// A record event: its first fields after the discriminator are `RecordParties` (asserted below).
pub trait RecordEvent: Event {
    /// The event's parties.
    fn parties(&mut self) -> &mut RecordParties {
        // SAFETY: only the two record events implement this, and both have the parties' fields
        // in their order right after the 8-byte discriminator (asserted below); all three types
        // have alignment 1 (packed events, `RecordParties` of byte arrays) and the event outlives
        // the borrow.
        unsafe { &mut *((self as *mut Self as *mut u8).add(8) as *mut RecordParties) }
    }
}

impl RecordEvent for InferenceRecorded {}
impl RecordEvent for BatchRecorded {}

macro_rules! assert_starts_with_parties {
    ($($event:ty),*) => {$(
        #[allow(clippy::arithmetic_side_effects)] // evaluated at compile time: an overflow fails the build
        const _: () = {
            use core::mem::{align_of, offset_of};
            assert!(align_of::<RecordParties>() == 1 && align_of::<$event>() == 1);
            assert!(offset_of!($event, discriminator) == 0);
            assert!(offset_of!($event, node) == 8 + offset_of!(RecordParties, node));
            assert!(offset_of!($event, authority) == 8 + offset_of!(RecordParties, authority));
            assert!(offset_of!($event, escrow) == 8 + offset_of!(RecordParties, escrow));
            assert!(offset_of!($event, client) == 8 + offset_of!(RecordParties, client));
            assert!(offset_of!($event, mint) == 8 + offset_of!(RecordParties, mint));
            assert!(offset_of!($event, provider) == 8 + offset_of!(RecordParties, provider));
        };
    )*};
}
assert_starts_with_parties!(InferenceRecorded, BatchRecorded);

/// When a record is made, and when its charge falls in the escrow it charges.
#[derive(Default)]
pub struct RecordTime {
    /// The cluster's unix time.
    pub now: i64,
    /// Pending bucket of the charge: the escrow's challenge window index now.
    pub window: i64,
    /// When that bucket can no longer be disputed.
    pub matures_at: i64,
}

/// The node, for its authority's record, with the escrow's terms checked: the signer must be the
/// node's authority and the node active; then `read_escrow_terms` fills the record event's
/// `parties` and the record's `time`.
pub fn load_node_for_record<'a>(a: &RecordAccounts<'a>, parties: &mut RecordParties, time: &mut RecordTime) -> Result<RefMut<'a, Node>, ProgramError> {
    time.now = Clock::now()?;
    let node = Node::load_mut(a.node, &crate::ID)?;
    require(pubkey_eq(&node.authority, a.node_authority.key()), ProvenanceError::NotNodeAuthority)?;
    require(node.status.tag() == NodeStatus::Active as u8, ProvenanceError::NodeNotActive)?;
    read_escrow_terms(a, &node.payees_hash, parties, time)?;
    Ok(node)
}

/// Checks that the escrow is an escrow of the escrow program whose provider is the recording node
/// (then no cluster is given) or an active cluster that has the node as a member, and that it pays
/// exactly that provider's payee list (`node_payees_hash` for the node). Fills the record event's
/// `parties` and the charge's window in `time` (read before the charge: the CPI needs the escrow
/// unborrowed).
#[inline(never)]
fn read_escrow_terms(a: &RecordAccounts, node_payees_hash: &Hash, parties: &mut RecordParties, time: &mut RecordTime) -> ProgramResult {
    let escrow = Escrow::load(a.escrow, &escrow_interface::ID)?;
    let node = a.node.key();
    // the provider the escrow must name and the payee list it must pay: the node's own, or its
    // (active) cluster's; one comparison of each for both cases
    let cluster = match a.cluster {
        Some(account) => Some((account, Cluster::load(account, &crate::ID)?)),
        None => None,
    };
    let (provider, payees_hash) = match &cluster {
        None => (node, node_payees_hash),
        Some((account, c)) => {
            require(c.status.tag() == ClusterStatus::Active as u8, ProvenanceError::ClusterNotActive)?;
            require(c.position(node).is_some(), ProvenanceError::NotClusterMember)?;
            (account.key(), &c.payees_hash)
        }
    };
    require(pubkey_eq(&escrow.provider, provider), ProvenanceError::ProviderMismatch)?;
    require(pubkey_eq(&escrow.payees_hash, payees_hash), ProvenanceError::PayeesMismatch)?;
    parties.provider = *provider;
    parties.node = *node;
    parties.authority = *a.node_authority.key();
    parties.escrow = *a.escrow.key();
    parties.client = escrow.client;
    parties.mint = escrow.mint;
    // escrow's own rule for the charge's bucket and its end, so the event says what escrow does
    time.window = escrow.window_of(time.now);
    time.matures_at = escrow.matures_at(time.window)?;
    Ok(())
}

/// Charges `amount` for `units` to the escrow through the escrow program's `charge`, signed by
/// this program's meter PDA. The instruction's account list pinned `escrow_program` to the escrow
/// program's address, so a look-alike program can never receive the meter's signature.
#[inline(never)]
pub fn charge(a: &RecordAccounts, units: u64, amount: u64, usage_ref: &Hash) -> ProgramResult {
    let mut data = [0u8; 56];
    data[..8].copy_from_slice(&escrow_interface::cpi::CHARGE);
    data[8..16].copy_from_slice(&units.to_le_bytes());
    data[16..24].copy_from_slice(&amount.to_le_bytes());
    data[24..].copy_from_slice(usage_ref);
    let metas = [AccountMeta::readonly_signer(a.meter.key()), AccountMeta::writable(a.escrow.key()), AccountMeta::readonly(a.escrow_config.key())];
    let ix = Instruction { program_id: &escrow_interface::ID, accounts: &metas, data: &data };
    let bump = [METER_BUMP];
    let seeds = [Seed::from(METER_SEED), Seed::from(&bump)];
    invoke_signed(&ix, &[a.meter, a.escrow, a.escrow_config, a.escrow_program], &[Signer::from(&seeds)])
}

/// The cluster, for its authority.
pub fn load_cluster_for_authority<'a>(cluster: &'a AccountView, authority: &AccountView) -> Result<RefMut<'a, Cluster>, ProgramError> {
    let c = Cluster::load_mut(cluster, &crate::ID)?;
    require(pubkey_eq(&c.authority, authority.key()), ProvenanceError::NotClusterAuthority)?;
    Ok(c)
}

/// The node, for its owner: fails unless `owner` (whose signature was checked at parse) owns it.
#[inline(never)]
pub fn load_node_for_owner<'a>(node: &'a AccountView, owner: &AccountView) -> Result<RefMut<'a, Node>, ProgramError> {
    let n = Node::load_mut(node, &crate::ID)?;
    require(pubkey_eq(&n.owner, owner.key()), ProvenanceError::NotNodeOwner)?;
    Ok(n)
}

/// The node arguments of `register_node` and `update_node`: a worker key and valid hardware.
#[inline(never)]
pub fn check_node_args(authority: &Pubkey, hardware: &Hardware) -> ProgramResult {
    require(!pubkey_eq(authority, &[0; 32]), ProvenanceError::InvalidAuthority)?;
    require(is_valid_hardware(hardware), ProvenanceError::InvalidHardware)
}

/// Fails unless `signer` is the node's owner or authority.
#[inline(never)]
pub fn require_node_operator(node: &AccountView, signer: &AccountView) -> ProgramResult {
    let n = Node::load(node, &crate::ID)?;
    let key = signer.key();
    require(pubkey_eq(&n.owner, key) || pubkey_eq(&n.authority, key), ProvenanceError::NotNodeOperator)
}

/// The batch log of `node` (owner, discriminator, length, node) for writing.
#[inline(never)]
pub fn load_batch_log_mut<'a>(log: &'a AccountView, node: &Pubkey) -> Result<RefMut<'a, [u8]>, ProgramError> {
    check_owner(log, &crate::ID)?;
    if !log.is_writable() {
        return Err(FrameworkError::AccountNotMutable.on("batch_log"));
    }
    let data = log.try_borrow_mut_data()?;
    {
        let (header, _) = BatchLog::view(&data)?;
        require(pubkey_eq(&header.node, node), ProvenanceError::BatchLogMismatch)?;
    }
    Ok(data)
}

