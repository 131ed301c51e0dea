//! The provenance program's IDL (host only, `idl` feature).

sdk::program_idl! {
    name: "provenance",
    docs: ["infergrid provenance: GPU node registry, clusters, per-inference and batched proofs that pay through escrow."],
    instructions: [],
    accounts: [],
    events: [],
    errors: crate::errors::ProvenanceError,
    types: [],
}
