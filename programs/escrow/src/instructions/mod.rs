//! One module per instruction: its accounts and arguments (`sdk::instruction!`) and its handler.

pub mod accept_admin;
pub mod approve_charges;
pub mod charge;
pub mod close_escrow;
pub mod create_mint_vault;
pub mod dispute_charges;
pub mod fund_escrow;
pub mod initialize_config;
pub mod open_earnings;
pub mod open_escrow;
pub mod propose_admin;
pub mod refund;
pub mod request_close;
pub mod resolve_dispute;
pub mod settle;
pub(crate) mod shared;
pub mod update_config;
pub mod withdraw_earnings;
