//! One module per instruction: its accounts and arguments (`sdk::instruction!`) and its handler.

pub mod accept_authority;
pub mod claim;
pub mod clawback;
pub mod close_claim_status;
pub mod create_distributor;
pub mod fund_distributor;
pub mod propose_authority;
pub mod publish_root;
pub(crate) mod shared;
pub mod update_distributor;
