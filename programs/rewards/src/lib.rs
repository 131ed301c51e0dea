//! infergrid rewards: per-epoch supplier rewards claimed with cumulative merkle proofs.
//!
//! Layout: `instructions/<name>.rs` holds each instruction's accounts, arguments and handler;
//! `state.rs`, `events.rs` and `errors.rs` the rest of the wire format; `processor.rs` dispatches.
#![no_std]
// tests compute expected values with plain arithmetic on small known numbers
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::type_complexity))]

pub mod errors;
pub mod events;
#[cfg(feature = "idl")]
mod idl;
pub mod instructions;
pub mod processor;
pub mod state;

#[cfg(feature = "idl")]
pub use idl::idl;

sdk::declare_id!("D7cv135XrVyh9xXYisexUVHMpe63ZeKi6HMFKvXJLHky");

// Crates that call this program by CPI depend on it with `no-entrypoint` (one entrypoint per binary).
#[cfg(not(feature = "no-entrypoint"))]
sdk::entrypoint!(processor::process_instruction);
