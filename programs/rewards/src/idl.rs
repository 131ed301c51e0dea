//! The rewards program's IDL (host only, `idl` feature).

sdk::program_idl! {
    name: "rewards",
    docs: ["infergrid rewards: per-epoch supplier rewards claimed with cumulative merkle proofs."],
    instructions: [],
    accounts: [],
    events: [],
    errors: crate::errors::RewardsError,
    types: [],
}
