//! infergrid's program SDK: everything a Solana program needs, with zero crate dependencies.
//!
//! It builds for the SBPF targets (Debian rustc's `bpfel-unknown-none` through `tools/sbpf`, or
//! `cargo build-sbf`) and for the host, where syscalls that need the runtime are unavailable and the
//! pure parts (hashing, borsh, layouts, discriminators) are unit-tested with `cargo test`.
//!
//! Wire format is Anchor's: 8-byte sha256 discriminators, borsh data, `Program data:` events and
//! Anchor-style error logs, so `@coral-xyz/anchor` clients work unchanged.
#![no_std]
// tests compute expected values with plain arithmetic on small known numbers
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::type_complexity))]

#[cfg(any(test, feature = "idl", not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))))]
extern crate std;

pub mod account;
pub mod borsh;
pub mod cpi;
pub mod entrypoint;
pub mod error;
pub mod event;
pub mod hash;
#[cfg(feature = "idl")]
pub mod idl;
pub mod loader;
pub mod log;
pub mod math;
pub mod merkle;
mod macros;
pub mod pda;
pub mod pubkey;
pub mod state;
pub mod syscalls;
pub mod sysvars;
pub mod token;

pub use account::AccountView;
pub use error::{ProgramError, ProgramResult};
pub use pubkey::Pubkey;

/// True when compiled for the SBPF virtual machine (either toolchain).
pub const ON_CHAIN: bool = cfg!(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"));
