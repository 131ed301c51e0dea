//! Escrow events: the indexer's contract. Each is self-contained: ids, parties, amounts and the
//! resulting totals, so a reader of the event alone can update its tables.

use crate::state::{EarningsCredit, Payee};
use sdk::borsh::Slice;
use sdk::Pubkey;

sdk::event! {
    /// The protocol config was created.
    pub struct ConfigInitialized {
        pub config: Pubkey,
        pub admin: Pubkey,
        pub treasury: Pubkey,
        pub arbiter: Pubkey,
        pub fee_bps: u16,
    }

    /// The admin changed fee, treasury, arbiter or pause; the values are the new ones.
    pub struct ConfigUpdated {
        pub config: Pubkey,
        pub admin: Pubkey,
        pub treasury: Pubkey,
        pub arbiter: Pubkey,
        pub fee_bps: u16,
        pub paused: bool,
    }

    /// The admin nominated a successor (zero to cancel).
    pub struct AdminProposed {
        pub config: Pubkey,
        pub admin: Pubkey,
        pub pending_admin: Pubkey,
    }

    /// The nominated admin accepted.
    pub struct AdminAccepted {
        pub config: Pubkey,
        pub previous_admin: Pubkey,
        pub admin: Pubkey,
    }

    /// The program's vault for a token mint was created.
    pub struct MintVaultCreated {
        pub mint_vault: Pubkey,
        pub mint: Pubkey,
        pub token_program: Pubkey,
        pub vault: Pubkey,
        pub decimals: u8,
    }

    /// A supplier's (or the treasury's) earnings account for a mint was created.
    pub struct EarningsOpened {
        pub earnings: Pubkey,
        pub owner: Pubkey,
        pub mint: Pubkey,
    }

    /// A client opened and funded an escrow.
    pub struct EscrowOpened<'a> {
        pub escrow: Pubkey,
        pub client: Pubkey,
        /// Zero for SOL.
        pub mint: Pubkey,
        pub provider: Pubkey,
        pub provider_meter: Pubkey,
        pub program_meter: Pubkey,
        pub payees_hash: [u8; 32],
        pub max_price_per_unit: u64,
        pub fee_bps: u16,
        pub opened_at: i64,
        pub expires_at: i64,
        pub challenge_window: i64,
        pub deposited: u64,
        /// Last: an event's one list goes last, where it is logged without re-encoding the rest.
        pub payees: Slice<'a, Payee>,
    }

    /// The client added funds.
    pub struct EscrowFunded {
        pub escrow: Pubkey,
        pub client: Pubkey,
        pub amount: u64,
        pub deposited: u64,
        pub available: u64,
    }

    /// A meter charged usage; it stays pending for the challenge window.
    pub struct ChargeRecorded {
        pub escrow: Pubkey,
        pub meter: Pubkey,
        /// Pending bucket (challenge window index) the charge went into.
        pub window: i64,
        pub units: u64,
        pub amount: u64,
        /// Hash of the inference record or batch root this charge is for.
        pub usage_ref: [u8; 32],
        pub bucket_amount: u64,
        pub usage_chain: [u8; 32],
        /// Amount that matured on the way (buckets whose window had passed).
        pub matured_now: u64,
        pub pending: u64,
        pub matured: u64,
        pub available: u64,
        pub charge_count: u64,
    }

    /// The client approved a bucket early (its undisputed part matured).
    pub struct ChargesApproved {
        pub escrow: Pubkey,
        pub client: Pubkey,
        pub window: i64,
        pub amount: u64,
        pub pending: u64,
        pub matured: u64,
    }

    /// The client disputed part of a bucket.
    pub struct ChargesDisputed {
        pub escrow: Pubkey,
        pub client: Pubkey,
        pub window: i64,
        pub amount: u64,
        /// The charge (inference record or batch root) the client disputes.
        pub usage_ref: [u8; 32],
        pub bucket_disputed: u64,
        pub pending: u64,
    }

    /// The arbiter split a dispute.
    pub struct DisputeResolved {
        pub escrow: Pubkey,
        pub arbiter: Pubkey,
        pub window: i64,
        pub to_provider: u64,
        pub to_client: u64,
        pub pending: u64,
        pub matured: u64,
        pub available: u64,
    }

    /// Matured charges were paid out: the fee to the treasury's earnings, the rest to each payee's
    /// earnings by share (an earnings account is PDA ["earnings", owner, mint]).
    pub struct EscrowSettled<'a> {
        pub escrow: Pubkey,
        pub mint: Pubkey,
        /// Matured amount paid out (fee included).
        pub amount: u64,
        pub fee: u64,
        /// The treasury's credit (the fee).
        pub treasury: EarningsCredit,
        pub settled: u64,
        pub fees: u64,
        pub pending: u64,
        pub available: u64,
        /// Each payee's credit, in payee order (last, as in `EscrowOpened`).
        pub payees: Slice<'a, EarningsCredit>,
    }

    /// A supplier withdrew earnings.
    pub struct EarningsWithdrawn {
        pub earnings: Pubkey,
        pub owner: Pubkey,
        pub mint: Pubkey,
        pub destination: Pubkey,
        pub amount: u64,
        pub balance: u64,
        pub total_withdrawn: u64,
    }

    /// The client gave notice: no charges from `closing_at` on.
    pub struct CloseRequested {
        pub escrow: Pubkey,
        pub client: Pubkey,
        pub closing_at: i64,
    }

    /// The client took back unspent funds.
    pub struct EscrowRefunded {
        pub escrow: Pubkey,
        pub client: Pubkey,
        pub destination: Pubkey,
        pub amount: u64,
        pub refunded: u64,
        pub available: u64,
    }

    /// The escrow account was closed; its rent went back to the client.
    pub struct EscrowClosed {
        pub escrow: Pubkey,
        pub client: Pubkey,
        pub deposited: u64,
        pub settled: u64,
        pub fees: u64,
        pub refunded: u64,
        pub rent_returned: u64,
    }
}
