//! The escrow program's interface, apart from its handlers (as p-token's interface crate): its id,
//! state layouts with their accounting rules, errors, and the discriminators of the instructions other
//! programs invoke. Programs that call the escrow by CPI (provenance) depend on this crate only, so a
//! change to an escrow handler rebuilds the escrow alone.
#![no_std]
// tests compute expected values with plain arithmetic on small known numbers
#![cfg_attr(test, allow(clippy::arithmetic_side_effects, clippy::type_complexity))]

#[cfg(test)]
extern crate std;

pub mod errors;
pub mod state;

sdk::declare_id!("8v3ExDa1Z3yUC6NCdZAiMq626oELcFUX9u9dAvoZFKyR");

/// Discriminators of the instructions other programs invoke by CPI (the escrow's own declarations
/// derive the same values from the same names; a test there checks it).
pub mod cpi {
    /// `charge`: accounts [meter (signer), escrow (writable), config]; args (units u64, amount u64,
    /// usage_ref [u8; 32]).
    pub const CHARGE: [u8; 8] = sdk::hash::discriminator("global:charge");
}
