//! Errors (Anchor numbering from 6000).

sdk::errors! {
    /// Errors of the provenance program.
    pub enum ProvenanceError {
        Placeholder = 6000 => "Not implemented yet",
    }
}
