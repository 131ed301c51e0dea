//! Provenance errors (Anchor numbering from 6000), grouped by domain.

sdk::errors! {
    /// Errors of the provenance program.
    pub enum ProvenanceError {
        // ---- registry
        NotNodeOwner = 6000 => "Only the node's owner may do this",
        NotNodeOperator = 6001 => "Only the node's owner or authority may do this",
        InvalidHardware = 6002 => "Hardware needs a GPU model and region label and positive GPU count, VRAM, cores and RAM",
        InvalidLabel = 6003 => "Labels are printable ASCII, zero-padded, at least one character",
        InvalidAuthority = 6004 => "The node authority must be set",
        NodeRetired = 6005 => "The node is retired",
        NodeNotActive = 6006 => "The node is paused or retired",
        InvalidStatusChange = 6007 => "The node cannot move to that status from its current one",
        // ---- clusters
        NotClusterAuthority = 6010 => "Only the cluster's authority may do this",
        ClusterTooSmall = 6011 => "An active cluster needs at least 16 members",
        ClusterFull = 6012 => "A cluster holds at most 64 members",
        InvalidShares = 6013 => "Every share must be positive and the shares must add up to 10,000 bps",
        SharesMismatch = 6014 => "One share per member (or per added node) is required",
        AlreadyMember = 6015 => "The node is already a member",
        NotClusterMember = 6016 => "The node is not a member of the cluster",
        ClusterNotActive = 6017 => "The cluster is not active: activate it after forming or changing it",
        TooManyNodes = 6018 => "At most 32 nodes can be added at once",
        // ---- records
        NotNodeAuthority = 6020 => "The signer is not the node's authority",
        ProviderMismatch = 6021 => "The escrow's provider is not this node or cluster",
        PayeesMismatch = 6022 => "The escrow does not pay the node's or cluster's payee list",
        SequenceZero = 6023 => "Sequences start at 1",
        SequenceReused = 6024 => "This sequence was already recorded",
        SequenceTooOld = 6025 => "The sequence is 64 or more below the node's highest",
        InvalidRequestId = 6026 => "The request id must be non-zero",
        RequestIdReused = 6027 => "This request id was recorded recently",
        ZeroCharge = 6028 => "Units and fee must be positive",
        // ---- batches
        EmptyBatch = 6030 => "A batch has at least one leaf",
        BatchBeforeLastSequence = 6031 => "A batch must start above the node's highest sequence",
        BatchLogMismatch = 6032 => "The batch log belongs to another node",
        BatchLogFull = 6033 => "The next batch log slot is still disputable: grow the log",
        InvalidCapacity = 6034 => "A batch log holds 1 or more entries and grows by at most 256 at once",
        BatchLogInUse = 6035 => "The batch log still holds disputable batches",
        UnknownBatch = 6036 => "That slot does not hold this batch",
        LeafNotInBatch = 6037 => "The leaf's node, escrow or sequence does not belong to the batch",
        InvalidProof = 6038 => "The proof does not link the leaf to the batch root",
        BatchLogExists = 6039 => "The node already has a batch log: close it first",
    }
}
