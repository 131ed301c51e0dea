//! `claim`: a supplier, or anyone on its behalf, proves the supplier's leaf in the current root and
//! pays the supplier its cumulative amount minus what it already received, to the supplier's own
//! wallet (SOL) or token account. The first claim creates the supplier's claim status, its rent
//! paid by the signer. Claims stay open after expiry until the clawback closes the distributor.

use super::shared::{sign_as_distributor, sol_balance, token_side};
use crate::errors::RewardsError;
use crate::events::RewardClaimed;
use crate::state::{claim_status_seed, leaf_hash_of_tail, ClaimStatus, Distributor};
use sdk::account::{move_lamports, RefMut};
use sdk::borsh::Slice;
use sdk::cpi::system::{self, NewAccount};
use sdk::error::{require, FrameworkError};
use sdk::event::{Discriminator, Event};
use sdk::merkle;
use sdk::pda::address_with_seed;
use sdk::pubkey::pubkey_eq;
use sdk::state::{AccountState, U64};
use sdk::{AccountView, ProgramError, ProgramResult, Pubkey};

sdk::instruction! {
    /// Claims a supplier's rewards. For a token distributor pass the vault, mint and token
    /// program; for SOL pass the program id in their place.
    claim {
        accounts {
            /// Signs; pays the claim status's rent on the supplier's first claim.
            payer: [writable signer],
            distributor: [writable],
            /// The supplier's claim status: the address with seed (distributor, hex of the supplier's
            /// first 16 bytes, this program).
            claim_status: [writable],
            /// The supplier's wallet (SOL) or a token account of the mint the supplier owns.
            destination: [writable],
            system_program: [address(system::ID)],
            /// Token distributors: the vault.
            vault: [writable optional],
            /// Token distributors: the mint.
            mint: [optional],
            /// Token distributors: the mint's token program.
            token_program: [optional],
        }
        args {
            /// The supplier's wallet, as in its leaf (read in place).
            supplier: &'a Pubkey,
            /// The supplier's cumulative entitlement, as in its leaf.
            cumulative_amount: u64,
            /// Sibling hashes from the leaf up to the root, each behind its order flag: 1 when the
            /// sibling sorts before the running node, else 0 (docs/rewards.md).
            proof: Slice<'a, [u8; 33]>,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    let distributor_key = ctx.distributor.key();
    let mut distributor = Distributor::load_mut(ctx.distributor, program_id)?;
    let epoch = distributor.epoch.get();
    require(epoch > 0, RewardsError::NoRoot)?;
    let proof = args.proof.items();
    // the arguments start with the leaf's supplier and cumulative amount: hash them in place
    let tail = data.first_chunk::<40>().ok_or(ProgramError::InvalidInstructionData)?;
    let leaf = leaf_hash_of_tail(distributor_key, tail);
    let proven = proof.len() <= merkle::MAX_DEPTH && merkle::root_from_flagged_proof(leaf, proof).is_some_and(|root| pubkey_eq(&root, &distributor.root));
    require(proven, RewardsError::InvalidProof)?;

    // where the money goes: the supplier's own wallet, or a token account of the mint it owns
    let token = token_side(&distributor, ctx.vault, ctx.mint, ctx.token_program)?;
    match &token {
        None => require(pubkey_eq(ctx.destination.key(), args.supplier), RewardsError::DestinationMismatch)?,
        Some(token) => token.require_recipient(ctx.destination, args.supplier)?,
    }

    // the supplier's claim status: created now, left over from a closed distributor, or current
    let mut first = !ctx.claim_status.is_owned_by(program_id);
    if first {
        // the distributor signs the creation: borrowed shared while it goes into the CPI, then again
        let shared = RefMut::downgrade(distributor);
        create_claim_status(program_id, ctx.payer, ctx.claim_status, ctx.distributor, &shared, args.supplier)?;
        drop(shared);
        distributor = Distributor::load_mut(ctx.distributor, program_id)?;
    }
    let mut status = ClaimStatus::load_mut(ctx.claim_status, program_id)?;
    if !pubkey_eq(&status.distributor, distributor_key) || !pubkey_eq(&status.supplier, args.supplier) {
        return Err(RewardsError::ClaimStatusMismatch.into());
    }
    if status.distributor_slot.get() != distributor.created_slot.get() {
        first = true;
        status.claimed = U64::new(0);
        status.distributor_slot = distributor.created_slot;
    }
    let amount = distributor.claim(status.claimed.get(), args.cumulative_amount, first)?;
    status.claimed = U64::new(args.cumulative_amount);
    status.last_epoch = U64::new(epoch);
    drop(status);
    let (total_claimed, num_nodes_claimed) = (distributor.total_claimed.get(), distributor.num_nodes_claimed.get());
    // read-only from here: the distributor signs the token transfer
    let distributor = RefMut::downgrade(distributor);
    match token {
        None => {
            require(sol_balance(ctx.distributor, distributor.rent_reserve.get()) >= amount, RewardsError::VaultUnderfunded)?;
            move_lamports(ctx.distributor, ctx.destination, amount)?;
        }
        Some(token) => {
            require(token.balance()? >= amount, RewardsError::VaultUnderfunded)?;
            token.pay_out(&distributor, ctx.distributor, ctx.destination, amount)?;
        }
    }
    drop(distributor);
    // built just before it is logged, so it is written in place
    RewardClaimed {
        discriminator: Discriminator::EVENT,
        distributor: *distributor_key,
        supplier: *args.supplier,
        epoch,
        amount,
        claimed: args.cumulative_amount,
        total_claimed,
        num_nodes_claimed,
        first_claim: first,
    }
    .emit();
    Ok(())
}

/// Creates the supplier's claim status at its address (`claim_status_address`) and stamps its
/// owners. An address with a seed has no bump: there is exactly one per (distributor, supplier),
/// so no second status (and second payout) can exist, and every first claim costs the same. Only
/// the distributor's signature creates an account there.
fn create_claim_status(program_id: &Pubkey, payer: &AccountView, claim_status: &AccountView, distributor: &AccountView, state: &Distributor, supplier: &Pubkey) -> ProgramResult {
    let seed = claim_status_seed(supplier);
    if !pubkey_eq(&address_with_seed(distributor.key(), &seed, program_id), claim_status.key()) {
        return Err(FrameworkError::ConstraintSeeds.on("claim_status"));
    }
    let new = NewAccount { payer, account: claim_status, lamports: state.claim_status_rent.get(), space: ClaimStatus::LEN, owner: program_id };
    sign_as_distributor(state, |signers| new.create_with_seed(distributor, &seed, signers))?;
    let mut status = ClaimStatus::init(claim_status, program_id)?;
    status.distributor = *distributor.key();
    status.supplier = *supplier;
    status.rent_payer = *payer.key();
    Ok(())
}
