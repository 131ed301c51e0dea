//! infergrid provenance: GPU node registry, clusters, per-inference and batched proofs that pay through escrow.
//! Specified in docs/provenance.md.
//!
//! Layout: `instructions/<name>.rs` holds each instruction's accounts, arguments and handler;
//! `state.rs`, `events.rs` and `errors.rs` the rest of the wire format; `processor.rs` dispatches.
//! The program runs at `ID` only: its meter and event authority PDAs are constants derived from it.
#![no_std]
// tests compute expected values with plain arithmetic on small known numbers
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::type_complexity))]

#[cfg(test)]
extern crate std;

pub mod errors;
pub mod events;
#[cfg(feature = "idl")]
mod idl;
pub mod instructions;
pub mod processor;
pub mod state;

#[cfg(feature = "idl")]
pub use idl::idl;

sdk::declare_id!("D1EZJpc2zDKu6T8ZncGQp57KXQkgueZhbcDNkTGNnAPF");

// Crates that call this program by CPI depend on it with `no-entrypoint` (one entrypoint per binary).
#[cfg(not(feature = "no-entrypoint"))]
sdk::entrypoint!(processor::process_instruction);
