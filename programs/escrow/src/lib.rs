//! infergrid escrow program. Clients fund work in SOL or SPL tokens; meters charge usage; charges
//! settle after a challenge window; clients always get unspent funds back.
//!
//! Layout: `instructions/<name>.rs` holds each instruction's accounts, arguments and handler;
//! `state.rs`, `events.rs` and `errors.rs` the rest of the wire format; `processor.rs` dispatches.
#![no_std]
// tests compute expected values with plain arithmetic on small known numbers
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::type_complexity))]

pub mod events;
#[cfg(feature = "idl")]
mod idl;
pub mod instructions;
pub mod processor;

// The interface (id, state, errors) lives in `escrow-interface`, shared with CPI callers.
pub use escrow_interface::{errors, id, state, ID, ID_BASE58};

#[cfg(feature = "idl")]
pub use idl::idl;

// Crates that call this program by CPI depend on it with `no-entrypoint` (one entrypoint per binary).
#[cfg(not(feature = "no-entrypoint"))]
sdk::entrypoint!(processor::process_instruction);
