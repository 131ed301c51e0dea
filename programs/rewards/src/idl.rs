//! The rewards program's IDL (host only, `idl` feature): everything `programs/idl` writes to
//! `target/idl/rewards.json`.

sdk::program_idl! {
    name: "rewards",
    docs: ["infergrid rewards: per-epoch supplier rewards claimed with cumulative merkle proofs."],
    instructions: [
        crate::instructions::create_distributor,
        crate::instructions::fund_distributor,
        crate::instructions::publish_root,
        crate::instructions::claim,
        crate::instructions::update_distributor,
        crate::instructions::propose_authority,
        crate::instructions::accept_authority,
        crate::instructions::clawback,
        crate::instructions::close_claim_status,
    ],
    accounts: [crate::state::Distributor, crate::state::ClaimStatus],
    events: [
        crate::events::DistributorCreated,
        crate::events::DistributorFunded,
        crate::events::RootPublished,
        crate::events::RewardClaimed,
        crate::events::DistributorUpdated,
        crate::events::AuthorityProposed,
        crate::events::AuthorityAccepted,
        crate::events::DistributorClawedBack,
        crate::events::ClaimStatusClosed,
    ],
    errors: crate::errors::RewardsError,
    types: [],
}
