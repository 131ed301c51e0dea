//! `register_node`: an owner registers a GPU node with its worker's signing key and its hardware.

use super::shared::{check_node_args, create_program_account, emit};
use crate::events::NodeRegistered;
use crate::state::{single_payee_hash, Hardware, Node, NodeStatus, EVENT_AUTHORITY};
use sdk::cpi::system;
use sdk::event::Discriminator;
use sdk::state::{AccountState, Enum, I64};
use sdk::sysvars::Clock;
use sdk::{AccountView, ProgramResult, Pubkey};

sdk::instruction! {
    /// Registers a node (active). Its address is a new keypair, which signs once, here.
    register_node {
        accounts {
            /// Pays the rent; owns the node and gets its payouts.
            owner: [writable signer],
            /// A new keypair: the node's address.
            node: [writable signer],
            system_program: [address(system::ID)],
            event_authority: [event_cpi(EVENT_AUTHORITY)],
            program: [event_cpi(crate::ID)],
        }
        args {
            /// The worker's signing key (signs the node's records).
            authority: Pubkey,
            hardware: &'a Hardware,
        }
    }
}

pub fn process(program_id: &Pubkey, accounts: &[AccountView], data: &[u8]) -> ProgramResult {
    let ctx = Accounts::parse(program_id, accounts)?;
    let args = Args::parse(data)?;
    check_node_args(&args.authority, args.hardware)?;
    let now = Clock::now()?;

    create_program_account(ctx.owner, ctx.node, Node::LEN)?;
    let payees_hash = single_payee_hash(ctx.owner.key());
    let mut node = Node::init(ctx.node, program_id)?;
    node.owner = *ctx.owner.key();
    node.authority = args.authority;
    node.status = Enum::new(NodeStatus::Active);
    node.hardware = *args.hardware;
    node.payees_hash = payees_hash;
    node.registered_at = I64::new(now);
    node.updated_at = I64::new(now);
    drop(node);

    let event = NodeRegistered {
        discriminator: Discriminator::EVENT,
        node: *ctx.node.key(),
        owner: *ctx.owner.key(),
        authority: args.authority,
        hardware: *args.hardware,
        payees_hash,
        registered_at: now,
    };
    emit(&event, ctx.event_authority, ctx.program)
}
