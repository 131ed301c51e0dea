//! One module per instruction: its accounts and arguments (`sdk::instruction!`) and its handler.

pub mod activate_cluster;
pub mod add_cluster_members;
pub mod close_batch_log;
pub mod close_cluster;
pub mod create_cluster;
pub mod grow_batch_log;
pub mod open_batch_log;
pub mod record_batch;
pub mod record_inference;
pub mod register_node;
pub mod remove_cluster_member;
pub mod set_node_status;
pub(crate) mod shared;
pub mod update_node;
pub mod verify_inclusion;
