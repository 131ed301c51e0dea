//! Merkle trees over sha256 with domain separation, shared by provenance (inference batches) and
//! rewards (cumulative entitlements). Specified in docs/merkle.md; the TypeScript twin is
//! ts-client/src/merkle.ts, and golden vectors keep the two identical.
//!
//! - leaf hash: sha256(0x00 ++ leaf bytes)
//! - node hash: sha256(0x01 ++ min(a, b) ++ max(a, b))  (pairs sorted, so a proof needs no indices)
//! - an odd node at the end of a level moves up unchanged (never paired with itself)
//! - a proof is the list of sibling hashes from the leaf's level up to the root

use crate::hash::{sha256, Hash};
use crate::pubkey::{cmp32, pubkey_eq};

/// Prefix of a leaf hash's preimage.
pub const LEAF_PREFIX: u8 = 0x00;
/// Prefix of an inner node hash's preimage.
pub const NODE_PREFIX: u8 = 0x01;
/// Deepest proof accepted (2^32 leaves).
pub const MAX_DEPTH: usize = 32;

/// Hash of a leaf whose encoding is the concatenation of `parts`.
pub fn hash_leaf(parts: &[&[u8]]) -> Hash {
    let mut all: [&[u8]; 9] = [&[LEAF_PREFIX], &[], &[], &[], &[], &[], &[], &[], &[]];
    assert!(parts.len() < all.len(), "a leaf has at most 8 parts");
    all[1..=parts.len()].copy_from_slice(parts);
    sha256(&all[..=parts.len()])
}

/// Hash of an inner node from its two children, in either order.
#[inline]
pub fn hash_node(a: &Hash, b: &Hash) -> Hash {
    let (lo, hi) = if cmp32(a, b).is_le() { (a, b) } else { (b, a) };
    sha256(&[&[NODE_PREFIX], lo, hi])
}

/// Root reached from `leaf` through `proof`.
pub fn root_from_proof(leaf: Hash, proof: &[Hash]) -> Hash {
    proof.iter().fold(leaf, |node, sibling| hash_node(&node, sibling))
}

/// True when `proof` links `leaf` to `root` (and is no deeper than `MAX_DEPTH`).
pub fn verify(leaf: Hash, proof: &[Hash], root: &Hash) -> bool {
    proof.len() <= MAX_DEPTH && pubkey_eq(&root_from_proof(leaf, proof), root)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec::Vec;

    /// Reference construction (host only): levels bottom-up, odd node promoted.
    fn root(leaves: &[Hash]) -> Hash {
        let mut level: Vec<Hash> = leaves.to_vec();
        while level.len() > 1 {
            level = level.chunks(2).map(|c| if c.len() == 2 { hash_node(&c[0], &c[1]) } else { c[0] }).collect();
        }
        level[0]
    }

    fn proof(leaves: &[Hash], mut index: usize) -> Vec<Hash> {
        let mut level: Vec<Hash> = leaves.to_vec();
        let mut out = Vec::new();
        while level.len() > 1 {
            let sibling = index ^ 1;
            if sibling < level.len() {
                out.push(level[sibling]);
            }
            level = level.chunks(2).map(|c| if c.len() == 2 { hash_node(&c[0], &c[1]) } else { c[0] }).collect();
            index /= 2;
        }
        out
    }

    fn hex(h: &Hash) -> std::string::String {
        h.iter().map(|b| std::format!("{b:02x}")).collect()
    }

    #[test]
    fn every_leaf_of_odd_and_even_trees_verifies() {
        for n in 1..=9u8 {
            let leaves: Vec<Hash> = (0..n).map(|i| hash_leaf(&[&[i]])).collect();
            let r = root(&leaves);
            for i in 0..n as usize {
                assert!(verify(leaves[i], &proof(&leaves, i), &r), "n={n} i={i}");
            }
            let forged = hash_leaf(&[&[200]]);
            assert!(!verify(forged, &proof(&leaves, 0), &r) || n == 0);
        }
    }

    #[test]
    fn leaves_and_nodes_are_domain_separated() {
        let a = hash_leaf(&[b"a"]);
        let b = hash_leaf(&[b"b"]);
        let node = hash_node(&a, &b);
        // the node's preimage reinterpreted as a leaf does not give the node's hash
        let mut preimage = Vec::new();
        preimage.extend_from_slice(&[NODE_PREFIX]);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        preimage.extend_from_slice(&lo);
        preimage.extend_from_slice(&hi);
        assert_ne!(hash_leaf(&[&preimage[1..]]), node);
    }

    /// Golden vectors shared with ts-client/test (docs/merkle.md).
    #[test]
    fn golden_vectors() {
        let leaves: Vec<Hash> = (0..5u8).map(|i| hash_leaf(&[&[i; 4]])).collect();
        assert_eq!(hex(&leaves[0]), hex(&sha256(&[&[0, 0, 0, 0, 0]])));
        std::println!("golden root(5 leaves of [i;4]) = {}", hex(&root(&leaves)));
        assert_eq!(hex(&root(&leaves)), GOLDEN_ROOT_5);
    }

    const GOLDEN_ROOT_5: &str = "6ddf19d7992980914940764ce860f688b20f53e454fc31be38549a2ac3564136";
}
