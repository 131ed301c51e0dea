//! Provenance state, the inference leaf and batch header, and the rules on them (pure, unit-tested
//! on the host).
//!
//! - `Node`: a GPU node registered by its owner; its worker signs records with `authority`. It keeps
//!   the replay state of its records: the highest sequence, a 64-sequence bitmap below it and the
//!   last 16 client request ids.
//! - `Cluster`: 16 to 64 nodes with payout shares; an escrow's provider. Its payee list (node owners,
//!   shares summed per owner, sorted) is fixed when it is activated and must equal the escrow's.
//! - `BatchLog`: a node's ring of recent batch hashes, kept until each batch can no longer be disputed,
//!   so `verify_inclusion` can check a leaf against a batch long after it was recorded.
//!
//! The wire format of leaves and batches is specified in docs/provenance.md.

use crate::errors::ProvenanceError;
use core::cmp::Ordering;
use sdk::hash::{sha256, Hash};
use sdk::pubkey::key_cmp;
use sdk::state::{copy_within, Enum, Pod, I64, U16, U32, U64};
use sdk::{ProgramError, ProgramResult, Pubkey};

/// Seed of the PDA that signs escrow charges: ["meter"]. Clients name it as an escrow's
/// `program_meter` (and, for escrows that accept only proven charges, its `provider_meter` too).
pub const METER_SEED: &[u8] = b"meter";
/// The meter PDA of this program (checked against its derivation in tests/provenance).
pub const METER: Pubkey = sdk::pubkey!("Gq63PvtWa6FuiQ2TdbD3NJZ6bA6xScr6APhVZbCrCWMk");
pub const METER_BUMP: u8 = 252;
/// The `emit_cpi` event authority PDA: ["__event_authority"] (checked in tests/provenance).
pub const EVENT_AUTHORITY: Pubkey = sdk::pubkey!("8zcW8eTjbj8dKUUw2ZwxLmCXdUrdbHyXRspZC49rXXz7");
pub const EVENT_AUTHORITY_BUMP: u8 = 253;

/// Fewest and most nodes in an active cluster (the escrow pays at most 64 payees).
pub const MIN_CLUSTER_MEMBERS: usize = 16;
pub const MAX_CLUSTER_MEMBERS: usize = escrow_interface::state::MAX_PAYEES;
/// Shares are basis points adding up to this (as escrow payees).
pub const TOTAL_SHARE_BPS: u16 = escrow_interface::state::TOTAL_SHARE_BPS;
/// Sequences below the highest one that may still arrive out of order.
pub const SEQUENCE_WINDOW: u64 = 64;
/// Client request ids a node remembers (a retry that reuses one is refused).
pub const RECENT_REQUESTS: usize = 16;
const RECENT_MASK: usize = RECENT_REQUESTS - 1;
const _: () = assert!(RECENT_REQUESTS.is_power_of_two());
/// Batch log slots one `open_batch_log` or `grow_batch_log` may add: an account grows by at most 10 KiB
/// per instruction (250 slots are 10,000 bytes, 10,048 with the header).
pub const MAX_LOG_GROWTH: u32 = 250;

/// Leaf hash domain (docs/merkle.md), batch hash domain (docs/provenance.md).
pub const BATCH_PREFIX: u8 = 0x02;

sdk::types! {
    /// Lifecycle of a node.
    pub enum NodeStatus {
        /// Records inferences and may join clusters.
        Active,
        /// Records nothing and joins no cluster until resumed.
        Paused,
        /// Final: records nothing, ever again.
        Retired,
    }

    /// Lifecycle of a cluster.
    pub enum ClusterStatus {
        /// Being assembled, or changed since its last activation: records against it are refused.
        Forming,
        /// Members and shares validated; its payee list is fixed in `payees_hash`.
        Active,
    }

    @pod
    /// What a node offers. Labels are printable ASCII, zero-padded.
    pub struct Hardware {
        /// GPU model, e.g. "NVIDIA H100 80GB HBM3".
        pub gpu_model: [u8; 32],
        pub gpu_count: U16,
        /// Memory of each GPU, GiB.
        pub vram_gib: U16,
        pub cpu_cores: U16,
        /// System memory, GiB.
        pub ram_gib: U32,
        /// Where the node runs, e.g. "eu-west-3".
        pub region: [u8; 16],
    }

    @pod
    /// One node of a cluster and its payout share.
    pub struct ClusterMember {
        pub node: Pubkey,
        /// The node's owner when it was added: who gets the share.
        pub owner: Pubkey,
        pub share_bps: U16,
    }

    @pod
    /// What a node records about one inference (the leaf without its node and escrow).
    pub struct InferenceRecord {
        /// The node's sequence number of this inference (from 1).
        pub sequence: U64,
        /// The client's request id (non-zero).
        pub request_id: [u8; 16],
        /// Hash identifying the model (weights and configuration).
        pub model_id: [u8; 32],
        pub input_hash: [u8; 32],
        pub output_hash: [u8; 32],
        /// Tokens or GPU-seconds, as the escrow's price is set.
        pub units: U64,
        /// What the client pays for it, in the escrow's mint.
        pub fee: U64,
    }

    @pod
    /// One recorded inference: the leaf of a batch tree, and (hashed) the usage reference of a
    /// single record's charge. 200 bytes; layout in docs/provenance.md.
    pub struct InferenceLeaf {
        /// The node account that ran it.
        pub node: Pubkey,
        /// The escrow that pays for it (and so the client).
        pub escrow: Pubkey,
        pub record: InferenceRecord,
    }

    @pod
    /// What a node commits to for a batch (the header without its node and escrow).
    pub struct BatchSummary {
        /// Merkle root over the batch's inference leaves (docs/merkle.md).
        pub root: [u8; 32],
        /// Sequence of the first leaf; the leaves' sequences are `first_sequence ..
        /// first_sequence + leaf_count`.
        pub first_sequence: U64,
        pub leaf_count: U32,
        /// Sum of the leaves' units.
        pub total_units: U64,
        /// Sum of the leaves' fees: what the escrow is charged.
        pub total_fee: U64,
    }

    @pod
    /// What `record_batch` commits to; its hash identifies the batch everywhere (escrow usage
    /// reference, batch log, disputes). 124 bytes; layout in docs/provenance.md.
    pub struct BatchHeader {
        pub node: Pubkey,
        pub escrow: Pubkey,
        pub batch: BatchSummary,
    }

    @pod
    /// A slot of a batch log.
    pub struct BatchLogEntry {
        /// Hash of the batch recorded in this slot (zero when never used).
        pub batch_hash: [u8; 32],
        /// When the batch's charge can no longer be disputed; the slot is reusable from then on.
        pub expires_at: I64,
    }

    @pod
    /// The fixed part of a batch log account, before its entries.
    pub struct BatchLogHeader {
        pub node: Pubkey,
        /// Next slot to write.
        pub head: U32,
        /// Number of entries that follow (the borsh length prefix of `entries`).
        pub capacity: U32,
    }
}

sdk::account! {
    /// A GPU node. Its address is a keypair chosen at registration.
    pub struct Node {
        /// Registers, updates, pauses and retires the node; gets its payouts.
        pub owner: Pubkey,
        /// The worker's signing key: signs the node's records.
        pub authority: Pubkey,
        pub status: Enum<NodeStatus>,
        pub hardware: Hardware,
        /// sha256 of the payee list [(owner, 10,000 bps)]: an escrow whose provider is this node
        /// must pay exactly that.
        pub payees_hash: [u8; 32],
        pub registered_at: I64,
        pub updated_at: I64,
        /// Highest sequence recorded (0: none yet; sequences start at 1).
        pub last_sequence: U64,
        /// Bit i set: sequence `last_sequence - i` was recorded (i < 64).
        pub sequence_window: U64,
        /// Inferences recorded, single and batched: `last_sequence - inference_count` is the
        /// number of sequences skipped so far.
        pub inference_count: U64,
        pub record_count: U64,
        pub batch_count: U64,
        pub last_recorded_at: I64,
        /// The node's batch log (zero until `open_batch_log`).
        pub batch_log: Pubkey,
        /// Next slot of `recent_requests` to overwrite.
        pub request_head: u8,
        /// The last client request ids recorded singly (zero: empty).
        pub recent_requests: [[u8; 16]; 16],
    }
}

sdk::account! {
    /// A set of nodes with payout shares, used as an escrow's provider. Its address is a keypair
    /// chosen at creation.
    pub struct Cluster {
        /// Forms the cluster and changes its membership.
        pub authority: Pubkey,
        /// Printable ASCII, zero-padded.
        pub name: [u8; 32],
        pub status: Enum<ClusterStatus>,
        pub member_count: u8,
        /// Bumped by every membership or share change.
        pub version: U32,
        /// sha256 of the borsh payee list, set by `activate_cluster` (zero while forming).
        pub payees_hash: [u8; 32],
        pub payee_count: u8,
        pub created_at: I64,
        pub updated_at: I64,
        /// The first `member_count` are in use, in ascending order of node address.
        pub members: [ClusterMember; 64],
    }
}

/// A printable-ASCII label, zero-padded: at least one character, none after the first zero. One
/// pass (model names are checked on every record); out of line, one copy for its four callers.
#[inline(never)]
pub fn is_label(bytes: &[u8]) -> bool {
    let mut ended = false;
    for &b in bytes {
        if b == 0 {
            ended = true;
        } else if ended || !(0x20..0x7f).contains(&b) {
            return false;
        }
    }
    bytes.first().is_some_and(|b| *b != 0)
}

/// Every hardware field set: a GPU model, at least one GPU, memory, cores and a region.
pub fn is_valid_hardware(h: &Hardware) -> bool {
    is_label(&h.gpu_model)
        && is_label(&h.region)
        && h.gpu_count.get() > 0
        && h.vram_gib.get() > 0
        && h.cpu_cores.get() > 0
        && h.ram_gib.get() > 0
}

/// Borsh of one payee (escrow's `Payee`: owner, u16 share).
const PAYEE_LEN: usize = core::mem::size_of::<PayeeEntry>();

sdk::types! {
    @pod
    /// One payee of a cluster's list: its bytes are the borsh of escrow's `Payee`.
    pub struct PayeeEntry {
        pub owner: Pubkey,
        pub share_bps: U16,
    }

    @pod
    /// A payee list as escrow hashes it: the borsh of `Vec<Payee>` for the first `count` payees.
    pub struct PayeeList {
        pub count: U32,
        pub payees: [PayeeEntry; 64],
    }
}

impl PayeeList {
    /// The borsh bytes of the list: the count, then `count` payees.
    pub fn bytes(&self) -> &[u8] {
        let len = (self.count.get() as usize).min(MAX_CLUSTER_MEMBERS).saturating_mul(PAYEE_LEN).saturating_add(4);
        &bytes_of(self)[..len]
    }
}

/// sha256 of the borsh payee list [(owner, 10,000 bps)], as escrow stores it for a single payee.
pub fn single_payee_hash(owner: &Pubkey) -> Hash {
    sha256(&[&1u32.to_le_bytes(), owner, &TOTAL_SHARE_BPS.to_le_bytes()])
}

impl NodeStatus {
    /// Active and paused nodes swap; either may retire; a retired node stays retired.
    pub fn may_change(from: NodeStatus, to: NodeStatus) -> bool {
        matches!(
            (from, to),
            (NodeStatus::Active, NodeStatus::Paused) | (NodeStatus::Paused, NodeStatus::Active) | (NodeStatus::Active | NodeStatus::Paused, NodeStatus::Retired)
        )
    }
}

impl Node {
    /// Accepts sequence `seq` once: above the highest so far, or within the 64 below it and not yet
    /// seen (records may land out of order; a retry of a landed record is refused).
    pub fn accept_sequence(&mut self, seq: u64) -> Result<(), ProgramError> {
        let last = self.last_sequence.get();
        if seq == 0 {
            return Err(ProvenanceError::SequenceZero.into());
        }
        let window = self.sequence_window.get();
        if let Some(shift) = seq.checked_sub(last).filter(|s| *s > 0) {
            // a shift of 64 or more forgets every earlier sequence
            let kept = u32::try_from(shift).ok().and_then(|s| window.checked_shl(s)).unwrap_or(0);
            self.sequence_window.set(kept | 1);
            self.last_sequence.set(seq);
            return Ok(());
        }
        let bit = u32::try_from(last.wrapping_sub(seq))
            .ok()
            .filter(|below| u64::from(*below) < SEQUENCE_WINDOW)
            .and_then(|below| 1u64.checked_shl(below))
            .ok_or_else(|| ProgramError::from(ProvenanceError::SequenceTooOld))?;
        if window & bit != 0 {
            return Err(ProvenanceError::SequenceReused.into());
        }
        self.sequence_window.set(window | bit);
        Ok(())
    }

    /// Accepts the range `first .. first + count` of a batch: it must start above the highest
    /// sequence so far. Returns the batch's last sequence.
    pub fn accept_sequence_range(&mut self, first: u64, count: u32) -> Result<u64, ProgramError> {
        let Some(span) = count.checked_sub(1) else {
            return Err(ProvenanceError::EmptyBatch.into());
        };
        let last_before = self.last_sequence.get();
        if first <= last_before {
            return Err(ProvenanceError::BatchBeforeLastSequence.into());
        }
        let last = first.checked_add(u64::from(span)).ok_or(ProgramError::ArithmeticOverflow)?;
        let shift = last.wrapping_sub(last_before); // >= count > 0: last > first - 1 >= last_before
        let kept = u32::try_from(shift).ok().and_then(|s| self.sequence_window.get().checked_shl(s)).unwrap_or(0);
        let fresh = 1u64.checked_shl(count).map_or(u64::MAX, |bit| bit.wrapping_sub(1));
        self.sequence_window.set(kept | fresh);
        self.last_sequence.set(last);
        Ok(last)
    }

    /// Remembers a client request id, refusing one among the last `RECENT_REQUESTS` recorded.
    pub fn accept_request(&mut self, id: &[u8; 16]) -> Result<(), ProgramError> {
        let words = |b: &[u8; 16]| (u64::from_le_bytes(b[..8].try_into().expect("8 bytes")), u64::from_le_bytes(b[8..].try_into().expect("8 bytes")));
        let (lo, hi) = words(id);
        if lo == 0 && hi == 0 {
            return Err(ProvenanceError::InvalidRequestId.into());
        }
        if self.recent_requests.iter().any(|r| words(r) == (lo, hi)) {
            return Err(ProvenanceError::RequestIdReused.into());
        }
        let head = usize::from(self.request_head) & RECENT_MASK;
        self.recent_requests[head] = *id;
        self.request_head = (head.wrapping_add(1) & RECENT_MASK) as u8;
        Ok(())
    }
}

impl Cluster {
    pub fn members(&self) -> &[ClusterMember] {
        &self.members[..(self.member_count as usize).min(MAX_CLUSTER_MEMBERS)]
    }

    /// Position of `node` among the members (kept sorted by address: a binary search).
    pub fn position(&self, node: &Pubkey) -> Option<usize> {
        self.search(node).ok()
    }

    /// `Ok(position)` of `node`, or `Err(position)` where it would be inserted.
    fn search(&self, node: &Pubkey) -> Result<usize, usize> {
        let members = self.members();
        let (mut lo, mut hi) = (0usize, members.len());
        while lo < hi {
            // lo < hi <= 64: no overflow
            let mid = lo.wrapping_add(hi) >> 1;
            // one pass over the key for both equality and order
            let Some(member) = members.get(mid) else { break };
            match key_cmp(&member.node, node) {
                Ordering::Equal => return Ok(mid),
                Ordering::Less => lo = mid.wrapping_add(1),
                Ordering::Greater => hi = mid,
            }
        }
        Err(lo)
    }

    /// Any change to membership or shares: a new version, back to forming until re-activated.
    /// Out of line: three callers.
    #[inline(never)]
    fn changed(&mut self, now: i64) -> Result<(), ProgramError> {
        self.version.checked_add_assign(1)?;
        self.status.set(ClusterStatus::Forming);
        self.payees_hash = [0; 32];
        self.payee_count = 0;
        self.updated_at.set(now);
        Ok(())
    }

    /// Adds a member in address order (not already one, room left). Shares are checked at activation.
    pub fn add(&mut self, node: &Pubkey, owner: &Pubkey, share_bps: u16, now: i64) -> Result<(), ProgramError> {
        let Err(at) = self.search(node) else {
            return Err(ProvenanceError::AlreadyMember.into());
        };
        let count = usize::from(self.member_count);
        if count >= MAX_CLUSTER_MEMBERS {
            return Err(ProvenanceError::ClusterFull.into());
        }
        // count < 64 and at <= count: the shift stays inside the array
        copy_within(&mut self.members, at..count, at.wrapping_add(1))?;
        // field by field: a struct literal would be built on the stack and copied again
        let member = &mut self.members[at];
        member.node = *node;
        member.owner = *owner;
        member.share_bps = U16::new(share_bps);
        self.member_count = self.member_count.wrapping_add(1);
        self.changed(now)
    }

    /// Removes the member at `i` (its `position`); the others stay in address order.
    pub fn remove_at(&mut self, i: usize, now: i64) -> ProgramResult {
        let count = usize::from(self.member_count);
        if i >= count {
            return Err(ProvenanceError::NotClusterMember.into());
        }
        // i < count <= 64: both ranges lie inside the array
        copy_within(&mut self.members, i.wrapping_add(1)..count, i)?;
        self.members[count.wrapping_sub(1)] = ClusterMember { node: [0; 32], owner: [0; 32], share_bps: U16::new(0) };
        self.member_count = self.member_count.wrapping_sub(1);
        self.changed(now)
    }

    /// Sets every member's share, in member order.
    pub fn set_shares(&mut self, shares: impl Iterator<Item = u16>, count: usize, now: i64) -> Result<(), ProgramError> {
        if count != self.member_count as usize {
            return Err(ProvenanceError::SharesMismatch.into());
        }
        for (member, share) in self.members.iter_mut().zip(shares) {
            member.share_bps.set(share);
        }
        self.changed(now)
    }

    /// Validates size and shares and writes the payee list into `out` (owners ascending, each
    /// owner's shares summed): the list an escrow for this cluster must pay.
    pub fn payees(&self, out: &mut PayeeList) -> ProgramResult {
        let members = self.members();
        if members.len() < MIN_CLUSTER_MEMBERS {
            return Err(ProvenanceError::ClusterTooSmall.into());
        }
        let mut total: u32 = 0;
        let mut n = 0usize; // payees written so far, sorted by owner; n <= members <= 64
        for member in members {
            let share = member.share_bps.get();
            if share == 0 {
                return Err(ProvenanceError::InvalidShares.into());
            }
            total = total.checked_add(u32::from(share)).ok_or(ProgramError::ArithmeticOverflow)?;
            // past 10,000 the list is wrong whatever follows; stopping here also keeps every owner's
            // sum within its u16
            if total > u32::from(TOTAL_SHARE_BPS) {
                return Err(ProvenanceError::InvalidShares.into());
            }
            // the owner's place among the payees so far (a linear walk: at most 64, at activation only)
            let written = out.payees.get_mut(..n).ok_or(ProgramError::InvalidAccountData)?;
            let at = written.iter().position(|p| key_cmp(&p.owner, &member.owner).is_ge()).unwrap_or(n);
            if let Some(same) = written.get_mut(at).filter(|p| key_cmp(&p.owner, &member.owner).is_eq()) {
                same.share_bps.checked_add_assign(share)?;
            } else {
                copy_within(&mut out.payees, at..n, at.wrapping_add(1))?;
                *out.payees.get_mut(at).ok_or(ProgramError::InvalidAccountData)? = PayeeEntry { owner: member.owner, share_bps: U16::new(share) };
                n = n.wrapping_add(1);
            }
        }
        if total != u32::from(TOTAL_SHARE_BPS) {
            return Err(ProvenanceError::InvalidShares.into());
        }
        out.count.set(n as u32);
        Ok(())
    }
}


/// sha256(0x00 ++ node ++ escrow ++ record): the inference's leaf hash (`InferenceLeaf` bytes),
/// and a single record's escrow usage reference. Out of line: `record_inference` and
/// `verify_inclusion` share it.
#[inline(never)]
pub fn leaf_hash(node: &Pubkey, escrow: &Pubkey, record: &InferenceRecord) -> Hash {
    // `merkle::hash_leaf` of the three parts, without its general copy of up to eight parts
    sha256(&[&[sdk::merkle::LEAF_PREFIX], node, escrow, bytes_of(record)])
}

/// sha256(0x02 ++ node ++ escrow ++ batch): the batch's identity (`BatchHeader` bytes), its escrow
/// usage reference and batch log entry. Out of line: `record_batch` and `verify_inclusion` share it.
#[inline(never)]
pub fn batch_hash(node: &Pubkey, escrow: &Pubkey, batch: &BatchSummary) -> Hash {
    sha256(&[&[BATCH_PREFIX], node, escrow, bytes_of(batch)])
}

impl InferenceLeaf {
    pub fn hash(&self) -> Hash {
        leaf_hash(&self.node, &self.escrow, &self.record)
    }
}

impl BatchHeader {
    pub fn hash(&self) -> Hash {
        batch_hash(&self.node, &self.escrow, &self.batch)
    }
}

fn bytes_of<T: Pod>(value: &T) -> &[u8] {
    // SAFETY: `T: Pod` has no padding, so all its bytes are initialised; the borrow outlives the slice.
    unsafe { core::slice::from_raw_parts(value as *const T as *const u8, core::mem::size_of::<T>()) }
}

/// A node's batch log (a keypair account named in `Node::batch_log`): `BatchLogHeader`, then
/// `capacity` entries. Its bytes are the borsh of `{ node, head, entries: Vec<BatchLogEntry> }`
/// (the IDL's `BatchLog`).
pub struct BatchLog;

/// The first 8 bytes of `data` as one word (0 when shorter): one compare instead of a memcmp call.
fn discriminator_of(data: &[u8]) -> u64 {
    data.first_chunk::<8>().map_or(0, |d| u64::from_le_bytes(*d))
}

impl BatchLog {
    /// sha256("account:BatchLog")[..8]
    pub const DISCRIMINATOR: [u8; 8] = sdk::hash::discriminator("account:BatchLog");
    /// Discriminator and header.
    pub const HEADER_LEN: usize = 8 + core::mem::size_of::<BatchLogHeader>();
    pub const ENTRY_LEN: usize = core::mem::size_of::<BatchLogEntry>();

    /// Where the capacity (the borsh length of the entries) sits: the header's last 4 bytes.
    const CAPACITY_AT: usize = Self::HEADER_LEN - 4;

    /// Account size for `capacity` entries.
    pub const fn space(capacity: u32) -> usize {
        (capacity as usize).saturating_mul(Self::ENTRY_LEN).saturating_add(Self::HEADER_LEN)
    }

    fn capacity_of(data: &[u8]) -> u32 {
        data.get(Self::CAPACITY_AT..Self::HEADER_LEN).and_then(|b| b.first_chunk::<4>()).map_or(0, |b| u32::from_le_bytes(*b))
    }

    /// Initializes a fresh account of `space(capacity)` zeroed bytes for `node`; refuses an account
    /// that carries a discriminator (no reinitialization).
    pub fn init(data: &mut [u8], node: &Pubkey, capacity: u32) -> ProgramResult {
        use sdk::error::FrameworkError;
        if data.len() != Self::space(capacity) {
            return Err(FrameworkError::AccountDidNotDeserialize.into());
        }
        if discriminator_of(data) != 0 {
            return Err(FrameworkError::AccountDiscriminatorAlreadySet.into());
        }
        data[..8].copy_from_slice(&Self::DISCRIMINATOR);
        data[8..40].copy_from_slice(node);
        data.get_mut(Self::CAPACITY_AT..Self::HEADER_LEN).ok_or(ProgramError::InvalidAccountData)?.copy_from_slice(&capacity.to_le_bytes());
        Ok(())
    }

    /// Header and entries of a batch log's data, checking discriminator and length.
    pub fn view(data: &[u8]) -> Result<(&BatchLogHeader, &[BatchLogEntry]), ProgramError> {
        let capacity = Self::check(data)?;
        let at = data.as_ptr();
        // SAFETY: `check` proved the data is the discriminator, the header and exactly `capacity`
        // entries; both types are Pod (alignment 1, any bytes valid) and borrow from `data`.
        unsafe {
            let header = &*(at.add(8) as *const BatchLogHeader);
            let entries = core::slice::from_raw_parts(at.add(Self::HEADER_LEN) as *const BatchLogEntry, capacity);
            Ok((header, entries))
        }
    }

    /// As `view`, for writing.
    pub fn view_mut(data: &mut [u8]) -> Result<(&mut BatchLogHeader, &mut [BatchLogEntry]), ProgramError> {
        let capacity = Self::check(data)?;
        let at = data.as_mut_ptr();
        // SAFETY: as in `view`; header and entries are disjoint and `data` is borrowed uniquely.
        unsafe {
            let header = &mut *(at.add(8) as *mut BatchLogHeader);
            let entries = core::slice::from_raw_parts_mut(at.add(Self::HEADER_LEN) as *mut BatchLogEntry, capacity);
            Ok((header, entries))
        }
    }

    fn check(data: &[u8]) -> Result<usize, ProgramError> {
        use sdk::error::FrameworkError;
        if data.len() < Self::HEADER_LEN {
            return Err(FrameworkError::AccountDidNotDeserialize.into());
        }
        if discriminator_of(data) != u64::from_le_bytes(Self::DISCRIMINATOR) {
            return Err(FrameworkError::AccountDiscriminatorMismatch.into());
        }
        let capacity = Self::capacity_of(data);
        if data.len() != Self::space(capacity) {
            return Err(FrameworkError::AccountDidNotDeserialize.into());
        }
        Ok(capacity as usize)
    }

    /// Takes the slot at the head for a batch that can be disputed until `expires_at`; the slot's
    /// previous batch must be past its own dispute time. Returns the slot.
    pub fn claim(header: &mut BatchLogHeader, entries: &mut [BatchLogEntry], batch_hash: &Hash, expires_at: i64, now: i64) -> Result<u32, ProgramError> {
        let slot = header.head.get();
        let entry = entries.get_mut(slot as usize).ok_or(ProgramError::InvalidAccountData)?;
        if entry.expires_at.get() > now {
            return Err(ProvenanceError::BatchLogFull.into());
        }
        entry.batch_hash = *batch_hash;
        entry.expires_at.set(expires_at);
        let next = slot.checked_add(1).ok_or(ProgramError::ArithmeticOverflow)?;
        header.head.set(if next as usize >= entries.len() { 0 } else { next });
        Ok(slot)
    }

    /// After the data grew by `added` zeroed entries at the end: moves the entries from the head
    /// on to the end, so the free slots come next in the ring. Returns the new capacity.
    pub fn make_room(data: &mut [u8], added: u32) -> Result<u32, ProgramError> {
        let old = Self::capacity_of(data);
        let capacity = old.checked_add(added).ok_or(ProgramError::ArithmeticOverflow)?;
        data.get_mut(Self::CAPACITY_AT..Self::HEADER_LEN).ok_or(ProgramError::InvalidAccountData)?.copy_from_slice(&capacity.to_le_bytes());
        let head = (Self::view(data)?.0.head.get() as usize).min(old as usize);
        // in bytes, on the whole data (one memmove, one memset): `view` checked that the data holds
        // `capacity` = old + added entries and head <= old, so both ranges lie inside it
        let at = |slot: usize| slot.wrapping_mul(Self::ENTRY_LEN).wrapping_add(Self::HEADER_LEN);
        let (from, gap) = (at(head), (added as usize).wrapping_mul(Self::ENTRY_LEN));
        copy_within(data, from..at(old as usize), from.wrapping_add(gap))?;
        data.get_mut(from..from.wrapping_add(gap)).ok_or(ProgramError::InvalidAccountData)?.fill(0);
        Ok(capacity)
    }
}

#[cfg(feature = "idl")]
impl BatchLog {
    /// The IDL `accounts` entry: the header's fields, with the entries as the borsh vector they are.
    pub fn idl_account(registry: &mut sdk::idl::Registry) -> sdk::idl::Named {
        use sdk::idl::{docs, type_of, Field, TypeDef, TypeKind};
        let fields = sdk::idl::vec![
            Field::new("node", docs(&["The node whose batches it holds."]), type_of::<Pubkey>("Pubkey", registry)),
            Field::new("head", docs(&["Next slot to write."]), type_of::<u32>("u32", registry)),
            Field::new(
                "entries",
                docs(&["The ring of slots."]),
                type_of::<sdk::borsh::Slice<'static, BatchLogEntry>>("Slice<'a, BatchLogEntry>", registry),
            ),
        ];
        registry.add(TypeDef {
            name: "BatchLog",
            docs: docs(&[" A node's ring of recent batch hashes (its address is in `Node::batch_log`)."]),
            kind: TypeKind::Struct(fields),
        });
        sdk::idl::Named { name: "BatchLog", discriminator: Self::DISCRIMINATOR }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // test fixtures: an overflow there is a failing test
mod tests {
    use super::*;
    use sdk::state::Bool;

    fn err(e: ProvenanceError) -> ProgramError {
        ProgramError::Custom(e as u32)
    }

    fn node() -> Node {
        // SAFETY: Node is Pod: all-zero bytes are a valid value.
        unsafe { core::mem::zeroed() }
    }

    fn cluster() -> Cluster {
        // SAFETY: Cluster is Pod: all-zero bytes are a valid value.
        unsafe { core::mem::zeroed() }
    }

    #[test]
    fn sequences_are_accepted_once_in_any_order_within_the_window() {
        let mut n = node();
        assert_eq!(n.accept_sequence(0), Err(err(ProvenanceError::SequenceZero)));
        n.accept_sequence(5).unwrap();
        n.accept_sequence(3).unwrap(); // late, inside the window
        assert_eq!(n.accept_sequence(5), Err(err(ProvenanceError::SequenceReused)));
        assert_eq!(n.accept_sequence(3), Err(err(ProvenanceError::SequenceReused)));
        n.accept_sequence(4).unwrap();
        n.accept_sequence(5 + 63).unwrap();
        assert_eq!(n.accept_sequence(4), Err(err(ProvenanceError::SequenceTooOld)), "64 below the highest");
        assert_eq!(n.accept_sequence(5), Err(err(ProvenanceError::SequenceReused)), "63 below, still remembered");
        n.accept_sequence(6).unwrap();
        n.accept_sequence(10_000).unwrap();
        assert_eq!(n.sequence_window.get(), 1, "a jump past the window forgets everything below");
        assert_eq!(n.accept_sequence(9_999 - 63), Err(err(ProvenanceError::SequenceTooOld)));
        n.accept_sequence(9_999 - 62).unwrap();
    }

    #[test]
    fn batches_take_a_range_above_the_highest_sequence() {
        let mut n = node();
        n.accept_sequence(10).unwrap();
        assert_eq!(n.accept_sequence_range(10, 5), Err(err(ProvenanceError::BatchBeforeLastSequence)));
        assert_eq!(n.accept_sequence_range(11, 0), Err(err(ProvenanceError::EmptyBatch)));
        assert_eq!(n.accept_sequence_range(11, 5), Ok(15));
        assert_eq!(n.sequence_window.get(), 0b11_1111, "10 and 11..=15 recorded");
        for s in 10..=15 {
            assert_eq!(n.accept_sequence(s), Err(err(ProvenanceError::SequenceReused)));
        }
        n.accept_sequence(9).unwrap();
        assert_eq!(n.accept_sequence_range(100, 1_000_000), Ok(1_000_099));
        assert_eq!(n.sequence_window.get(), u64::MAX);
        assert_eq!(n.accept_sequence_range(u64::MAX, 2), Err(ProgramError::ArithmeticOverflow));
    }

    #[test]
    fn recent_request_ids_are_refused_and_the_ring_stays_bounded() {
        let mut n = node();
        assert_eq!(n.accept_request(&[0; 16]), Err(err(ProvenanceError::InvalidRequestId)));
        for i in 1..=RECENT_REQUESTS as u8 {
            n.accept_request(&[i; 16]).unwrap();
        }
        assert_eq!(n.accept_request(&[1; 16]), Err(err(ProvenanceError::RequestIdReused)));
        n.accept_request(&[200; 16]).unwrap(); // evicts [1; 16]
        n.accept_request(&[1; 16]).unwrap();
        assert_eq!(n.accept_request(&[200; 16]), Err(err(ProvenanceError::RequestIdReused)));
    }

    fn owners(n: usize, distinct: usize) -> std::vec::Vec<Pubkey> {
        (0..n).map(|i| [(i % distinct) as u8 * 7 + 1; 32]).collect()
    }

    fn payee_list() -> PayeeList {
        // SAFETY: PayeeList is Pod: all-zero bytes are a valid value.
        unsafe { core::mem::zeroed() }
    }

    #[test]
    fn payees_are_sorted_summed_per_owner_and_hash_as_escrow_expects() {
        let mut c = cluster();
        let owners = owners(20, 5);
        for (i, owner) in owners.iter().enumerate() {
            c.add(&[i as u8 + 100; 32], owner, 500, 0).unwrap();
        }
        let mut list = payee_list();
        c.payees(&mut list).unwrap();
        let bytes = list.bytes();
        assert_eq!(bytes.len(), 4 + 5 * 34);
        assert_eq!(&bytes[..4], &5u32.to_le_bytes());
        let mut previous = [0u8; 32];
        for p in &list.payees[..5] {
            assert!(key_cmp(&previous, &p.owner).is_lt(), "ascending");
            previous = p.owner;
            assert_eq!(p.share_bps.get(), 2_000, "4 nodes x 500 bps");
        }
        // the borsh of escrow's Vec<Payee>: count, then (owner, u16 share) each
        assert_eq!(&bytes[4..36], &list.payees[0].owner);
        assert_eq!(&bytes[36..38], &2_000u16.to_le_bytes());
        // the single-payee hash is the same construction
        assert_eq!(single_payee_hash(&[9; 32]), sha256(&[&[1, 0, 0, 0], &[9; 32], &[0x10, 0x27]]));
    }

    #[test]
    fn activation_refuses_small_clusters_and_shares_that_do_not_add_up() {
        let mut c = cluster();
        let owners = owners(16, 16);
        let mut list = payee_list();
        for (i, owner) in owners.iter().take(15).enumerate() {
            c.add(&[i as u8 + 100; 32], owner, 625, 0).unwrap();
        }
        assert_eq!(c.payees(&mut list), Err(err(ProvenanceError::ClusterTooSmall)));
        c.add(&[115; 32], &owners[15], 624, 0).unwrap();
        assert_eq!(c.payees(&mut list), Err(err(ProvenanceError::InvalidShares)), "9,999 bps");
        c.set_shares((0..16).map(|i| if i == 0 { 0 } else { 666 }), 16, 0).unwrap();
        assert_eq!(c.payees(&mut list), Err(err(ProvenanceError::InvalidShares)), "a zero share");
        c.set_shares(core::iter::repeat(625), 16, 0).unwrap();
        assert_eq!(c.payees(&mut list), Ok(()));
        assert_eq!(list.count.get(), 16);
        assert_eq!(c.set_shares(core::iter::repeat(625), 15, 0), Err(err(ProvenanceError::SharesMismatch)));
    }

    #[test]
    fn one_owners_shares_past_a_u16_are_refused_not_overflowed() {
        let mut c = cluster();
        for i in 0..16u8 {
            c.add(&[i + 1; 32], &[9; 32], 0, 0).unwrap(); // one owner for all
        }
        let mut list = payee_list();
        c.set_shares([65_535u16, 10_001].into_iter().chain(core::iter::repeat(1)), 16, 0).unwrap();
        assert_eq!(c.payees(&mut list), Err(err(ProvenanceError::InvalidShares)));
        c.set_shares(core::iter::repeat(625), 16, 0).unwrap();
        assert_eq!(c.payees(&mut list), Ok(()));
        assert_eq!((list.count.get(), list.payees[0].share_bps.get()), (1, 10_000));
    }

    #[test]
    fn members_stay_sorted_by_address_and_are_found_by_binary_search() {
        let mut c = cluster();
        let keys: std::vec::Vec<u8> = std::vec![9, 3, 200, 1, 77, 4, 150];
        for k in &keys {
            c.add(&[*k; 32], &[0; 32], 1, 0).unwrap();
        }
        let order: std::vec::Vec<u8> = c.members().iter().map(|m| m.node[0]).collect();
        assert_eq!(order, [1, 3, 4, 9, 77, 150, 200]);
        for (i, k) in order.iter().enumerate() {
            assert_eq!(c.position(&[*k; 32]), Some(i));
        }
        assert_eq!(c.position(&[5; 32]), None);
        let mut near = [77u8; 32];
        near[31] = 78;
        assert_eq!(c.position(&near), None, "differs in the last byte only");
        c.remove_at(c.position(&[9; 32]).unwrap(), 0).unwrap();
        assert_eq!(c.position(&[77; 32]), Some(3));
    }

    #[test]
    fn membership_changes_bump_the_version_and_deactivate() {
        let mut c = cluster();
        c.status.set(ClusterStatus::Active);
        c.add(&[1; 32], &[2; 32], 10, 7).unwrap();
        c.add(&[3; 32], &[4; 32], 20, 8).unwrap();
        assert_eq!(c.add(&[1; 32], &[2; 32], 10, 9), Err(err(ProvenanceError::AlreadyMember)));
        assert_eq!((c.version.get(), c.status.get().unwrap(), c.updated_at.get()), (2, ClusterStatus::Forming, 8));
        let i = c.position(&[1; 32]).unwrap();
        assert_eq!(c.members()[i].owner, [2; 32]);
        c.remove_at(i, 9).unwrap();
        assert_eq!(c.members().len(), 1);
        assert_eq!(c.members()[0].node, [3; 32]);
        assert_eq!(c.position(&[1; 32]), None);
        assert_eq!(c.remove_at(1, 9), Err(err(ProvenanceError::NotClusterMember)), "past the members");
        for i in 0..MAX_CLUSTER_MEMBERS - 1 {
            c.add(&[i as u8 + 10; 32], &[0; 32], 1, 0).unwrap();
        }
        assert_eq!(c.add(&[255; 32], &[0; 32], 1, 0), Err(err(ProvenanceError::ClusterFull)));
        let _ = Bool::new(false);
    }

    #[test]
    fn node_status_moves_between_active_and_paused_and_retires_for_good() {
        use NodeStatus::*;
        let allowed: std::vec::Vec<(NodeStatus, NodeStatus)> =
            [Active, Paused, Retired].iter().flat_map(|f| [Active, Paused, Retired].map(|t| (*f, t))).filter(|(f, t)| NodeStatus::may_change(*f, *t)).collect();
        assert_eq!(allowed, [(Active, Paused), (Active, Retired), (Paused, Active), (Paused, Retired)]);
    }

    #[test]
    fn labels_are_printable_ascii_zero_padded() {
        let mut l = [0u8; 16];
        assert!(!is_label(&l), "empty");
        l[..9].copy_from_slice(b"eu-west-3");
        assert!(is_label(&l));
        l[12] = b'x';
        assert!(!is_label(&l), "text after the padding");
        l[12] = 0;
        l[3] = 0x7f;
        assert!(!is_label(&l), "not printable");
        assert!(is_label(&[b'a'; 16]), "full width");
    }

    #[test]
    fn batch_log_slots_are_reused_only_after_their_dispute_time() {
        let mut data = std::vec![0u8; BatchLog::space(3)];
        BatchLog::init(&mut data, &[7; 32], 3).unwrap();
        assert_eq!(BatchLog::init(&mut data, &[7; 32], 3), Err(ProgramError::Custom(3000)), "no reinitialization");
        {
            let (h, e) = BatchLog::view_mut(&mut data).unwrap();
            assert_eq!(BatchLog::claim(h, e, &[1; 32], 100, 10), Ok(0));
            assert_eq!(BatchLog::claim(h, e, &[2; 32], 200, 10), Ok(1));
            assert_eq!(BatchLog::claim(h, e, &[3; 32], 300, 10), Ok(2));
            assert_eq!(BatchLog::claim(h, e, &[4; 32], 400, 99), Err(err(ProvenanceError::BatchLogFull)));
            assert_eq!(BatchLog::claim(h, e, &[4; 32], 400, 100), Ok(0), "slot 0 expired at 100");
        }
        // growing puts the free slots at the head: the ring continues with them, then the oldest
        data.resize(BatchLog::space(5), 0);
        assert_eq!(BatchLog::make_room(&mut data, 2), Ok(5));
        let (h, e) = BatchLog::view_mut(&mut data).unwrap();
        let hashes: std::vec::Vec<u8> = e.iter().map(|x| x.batch_hash[0]).collect();
        assert_eq!(hashes, [4, 0, 0, 2, 3]);
        assert_eq!(BatchLog::claim(h, e, &[5; 32], 500, 150), Ok(1));
        assert_eq!(BatchLog::claim(h, e, &[6; 32], 600, 150), Ok(2));
        assert_eq!(BatchLog::claim(h, e, &[7; 32], 700, 150), Err(err(ProvenanceError::BatchLogFull)), "slot 3 until 200");
        // wrong discriminator or a length that does not match the capacity
        let mut bad = data.clone();
        bad[0] ^= 1;
        assert!(BatchLog::view(&bad).is_err());
        assert!(BatchLog::view(&data[..data.len() - 1]).is_err());
    }

    /// Golden vectors shared with tests/provenance/leaf.test.ts (docs/provenance.md).
    #[test]
    fn leaf_and_batch_golden_vectors() {
        let leaf = golden_leaf();
        assert_eq!(core::mem::size_of::<InferenceLeaf>(), 200);
        assert_eq!(hex(&leaf.hash()), GOLDEN_LEAF_HASH);
        assert_eq!(leaf.hash(), sdk::merkle::hash_leaf(&[bytes_of(&leaf)]), "the leaf hash is over the leaf's bytes");
        let header = BatchHeader {
            node: [1; 32],
            escrow: [2; 32],
            batch: BatchSummary {
                root: leaf.hash(),
                first_sequence: U64::new(7),
                leaf_count: U32::new(1),
                total_units: U64::new(1_000),
                total_fee: U64::new(25_000),
            },
        };
        assert_eq!(core::mem::size_of::<BatchHeader>(), 124);
        assert_eq!(hex(&header.hash()), GOLDEN_BATCH_HASH);
        assert_eq!(header.hash(), sha256(&[&[BATCH_PREFIX], bytes_of(&header)]));
    }

    pub fn golden_leaf() -> InferenceLeaf {
        InferenceLeaf {
            node: [1; 32],
            escrow: [2; 32],
            record: InferenceRecord {
                sequence: U64::new(7),
                request_id: [3; 16],
                model_id: [4; 32],
                input_hash: [5; 32],
                output_hash: [6; 32],
                units: U64::new(1_000),
                fee: U64::new(25_000),
            },
        }
    }

    fn hex(h: &[u8]) -> std::string::String {
        h.iter().map(|b| std::format!("{b:02x}")).collect()
    }

    const GOLDEN_LEAF_HASH: &str = "26428023aee8abedde585515471342ec6e0646271b55b49a80370a85fbdba7d1";
    const GOLDEN_BATCH_HASH: &str = "d38b3e9d0cb2cfcd315ea91dd5b774853a57e0a86776508d3225e57820d794d2";
}
