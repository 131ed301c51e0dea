//! Events: the indexer's contract. Each is self-contained.
