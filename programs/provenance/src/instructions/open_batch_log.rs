//! `open_batch_log`: creates a node's batch log, the ring of batch hashes that `record_batch`
//! writes and `verify_inclusion` reads. Its rent is a deposit: the owner takes it back with
//! `close_batch_log`. A node has one log at a time; its address is kept in the node.

use super::shared::{create_program_account, emit, require_node_operator};
use crate::errors::ProvenanceError;
use crate::events::BatchLogOpened;
use crate::state::{BatchLog, Node, EVENT_AUTHORITY, MAX_LOG_GROWTH};
use sdk::cpi::system;
use sdk::event::Discriminator;
use sdk::error::require;
use sdk::pubkey::pubkey_eq;
use sdk::state::AccountState;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Creates the batch log of `node` with room for `capacity` batches at once.
    open_batch_log {
        accounts {
            /// The node's owner or authority; pays the rent.
            payer: [writable signer],
            node: [writable],
            /// A new keypair: the log's address.
            batch_log: [writable signer],
            system_program: [address(system::ID)],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            /// 1 to 250 slots (`grow_batch_log` adds more).
            capacity: u32,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    require((1..=MAX_LOG_GROWTH).contains(&args.capacity), ProvenanceError::InvalidCapacity)?;
    require_node_operator(ctx.node, ctx.payer)?;
    let space = BatchLog::space(args.capacity);
    create_program_account(ctx.payer, ctx.batch_log, space)?;
    BatchLog::init(&mut ctx.batch_log.try_borrow_mut_data()?, ctx.node.key(), args.capacity)?;
    let mut node = Node::load_mut(ctx.node, program_id)?;
    require(pubkey_eq(&node.batch_log, &[0; 32]), ProvenanceError::BatchLogExists)?;
    node.batch_log = *ctx.batch_log.key();
    drop(node);

    let event = BatchLogOpened { discriminator: Discriminator::EVENT, batch_log: *ctx.batch_log.key(), node: *ctx.node.key(), payer: *ctx.payer.key(), capacity: args.capacity };
    emit(&event, ctx.event_authority, ctx.program)
}
