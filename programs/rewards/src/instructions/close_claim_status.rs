//! `close_claim_status`: once its distributor is closed (or replaced by a new one at the same
//! address), anyone may close a claim status; its rent returns to whoever paid it.

use crate::errors::RewardsError;
use crate::events::ClaimStatusClosed;
use crate::state::{ClaimStatus, Distributor};
use sdk::error::require;
use sdk::event::{Discriminator, Event};
use sdk::pubkey::pubkey_eq;
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Closes the claim status of a closed distributor and returns its rent to its payer.
    close_claim_status {
        accounts {
            claim_status: [writable],
            /// The claim status's distributor: closed, or a later one at the same address.
            distributor: [],
            /// Paid the rent at the supplier's first claim.
            rent_payer: [writable],
        }
        args {}
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    Args::parse(data)?;
    let event = {
        let status = ClaimStatus::load(ctx.claim_status, program_id)?;
        require(pubkey_eq(ctx.distributor.key(), &status.distributor), RewardsError::ClaimStatusMismatch)?;
        require(pubkey_eq(ctx.rent_payer.key(), &status.rent_payer), RewardsError::RentPayerMismatch)?;
        if ctx.distributor.is_owned_by(program_id) {
            let distributor = Distributor::load(ctx.distributor, program_id)?;
            require(distributor.created_slot != status.distributor_slot, RewardsError::DistributorNotClosed)?;
        }
        ClaimStatusClosed { discriminator: Discriminator::EVENT, claim_status: *ctx.claim_status.key(), rent_returned: ctx.claim_status.lamports(), state: *status }
    };
    ctx.claim_status.close_to(ctx.rent_payer)?;
    event.emit();
    Ok(())
}
