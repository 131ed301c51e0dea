//! Errors (Anchor numbering from 6000).

sdk::errors! {
    /// Errors of the rewards program.
    pub enum RewardsError {
        Placeholder = 6000 => "Not implemented yet",
    }
}
