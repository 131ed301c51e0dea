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
///
/// On chain the running node lives behind its own prefix byte, `[0x01, hash]`, in one of two buffers
/// that take turns, so no hash is ever copied. When the node sorts first the syscall reads two parts,
/// `0x01 ++ node` and the sibling (117 CU); otherwise three, the prefix, the sibling and the node
/// (127 CU). About 27 CU of bookkeeping per level come on top.
pub fn root_from_proof(leaf: Hash, proof: &[Hash]) -> Hash {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    {
        /// A `&[u8]` as the syscall reads it.
        #[repr(C)]
        struct Part {
            addr: *const u8,
            len: u64,
        }
        /// The first 8 bytes of a hash as a big-endian number: orders like the bytes.
        #[inline(always)]
        fn first_word(h: &Hash) -> u64 {
            let mut w = [0u8; 8];
            w.copy_from_slice(&h[..8]);
            u64::from_be_bytes(w)
        }
        let mut buffers = [[NODE_PREFIX; 33]; 2];
        buffers[0][1..].copy_from_slice(&leaf);
        let (mut node, mut spare): (*mut [u8; 33], *mut [u8; 33]) = (&mut buffers[0], &mut buffers[1]);
        let mut parts = [
            Part { addr: core::ptr::null(), len: 33 },
            Part { addr: core::ptr::null(), len: 32 },
            Part { addr: core::ptr::null(), len: 32 },
        ];
        for sibling in proof {
            // SAFETY: `node` and `spare` point at the two distinct buffers; bytes 1..33 of a buffer
            // are its hash. The syscall reads every part in full before it writes `spare`'s hash.
            unsafe {
                let prefixed = &*node;
                let current: &Hash = &*(prefixed.as_ptr().add(1) as *const Hash);
                let (a, b) = (first_word(current), first_word(sibling));
                // the first 8 bytes decide unless they are equal (then compare the rest)
                let sibling_first = if a != b { a > b } else { cmp32(current, sibling).is_gt() } as u64;
                // node first: [0x01 ++ node (33), sibling]; sibling first: [0x01, sibling, node]
                parts[0].addr = prefixed.as_ptr();
                parts[0].len = 33 ^ (sibling_first << 5);
                parts[1].addr = sibling.as_ptr();
                parts[2].addr = current.as_ptr();
                crate::syscalls::sol_sha256(parts.as_ptr() as *const u8, 2 | sibling_first, (*spare).as_mut_ptr().add(1));
            }
            core::mem::swap(&mut node, &mut spare);
        }
        let mut root = [0u8; 32];
        // SAFETY: `node` points into `buffers`, alive here.
        root.copy_from_slice(unsafe { &(&*node)[1..] });
        root
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    {
        proof.iter().fold(leaf, |node, sibling| hash_node(&node, sibling))
    }
}

/// A proof element with its order flag, `[flag, sibling]`: [`SIBLING_FIRST`] when the sibling sorts
/// before the running node, [`NODE_FIRST`] otherwise. The flag tells the verifier the order it would
/// otherwise compute; it is not trusted: a wrong flag hashes the pair in the wrong order, which gives
/// no node of the tree, so the proof fails.
pub type FlaggedSibling = [u8; 33];
/// Flag of a sibling that sorts after the running node.
pub const NODE_FIRST: u8 = 0x00;
/// Flag of a sibling that sorts before the running node. It equals [`NODE_PREFIX`], so the flagged
/// element is itself the first part of the node's preimage, `0x01 ++ sibling`.
pub const SIBLING_FIRST: u8 = NODE_PREFIX;

/// Root reached from `leaf` through a flagged proof (same tree, same siblings as [`root_from_proof`],
/// each behind its order flag), or `None` when a flag is neither 0 nor 1. Every level hashes two
/// contiguous parts, `0x01 ++ lower` and `higher` (117 CU on chain), and compares nothing.
#[inline(always)]
pub fn root_from_flagged_proof(leaf: Hash, proof: &[FlaggedSibling]) -> Option<Hash> {
    #[cfg(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana"))]
    {
        /// A `&[u8]` as the syscall reads it.
        #[repr(C)]
        struct Part {
            addr: *const u8,
            len: u64,
        }
        // the running node lives behind its own prefix byte, in one of two buffers that take turns
        let mut buffers = [[NODE_PREFIX; 33]; 2];
        buffers[0][1..].copy_from_slice(&leaf);
        let (mut node, mut spare): (*mut [u8; 33], *mut [u8; 33]) = (&mut buffers[0], &mut buffers[1]);
        let mut parts = [Part { addr: core::ptr::null(), len: 33 }, Part { addr: core::ptr::null(), len: 32 }];
        for element in proof {
            // SAFETY: `node` and `spare` point at the two distinct 33-byte buffers and `element` at
            // 33 bytes, so every part is in bounds; the syscall reads both parts in full before it
            // writes the hash into `spare` after its prefix byte.
            unsafe {
                let node_bytes = (*node).as_ptr();
                let element_bytes = element.as_ptr();
                match element[0] {
                    // [0x01 ++ node] [sibling]
                    NODE_FIRST => {
                        parts[0].addr = node_bytes;
                        parts[1].addr = element_bytes.add(1);
                    }
                    // [0x01 ++ sibling] (the element itself) [node]
                    SIBLING_FIRST => {
                        parts[0].addr = element_bytes;
                        parts[1].addr = node_bytes.add(1);
                    }
                    _ => return None,
                }
                crate::syscalls::sol_sha256(parts.as_ptr() as *const u8, 2, (*spare).as_mut_ptr().add(1));
            }
            core::mem::swap(&mut node, &mut spare);
        }
        let mut root = [0u8; 32];
        // SAFETY: `node` points into `buffers`, alive here.
        root.copy_from_slice(unsafe { &(&*node)[1..] });
        Some(root)
    }
    #[cfg(not(any(target_arch = "bpf", target_arch = "sbf", target_os = "solana")))]
    {
        let mut node = leaf;
        for element in proof {
            let sibling: &Hash = element[1..].try_into().expect("33-byte element");
            node = match element[0] {
                NODE_FIRST => sha256(&[&[NODE_PREFIX], &node, sibling]),
                SIBLING_FIRST => sha256(&[&[NODE_PREFIX], sibling, &node]),
                _ => return None,
            };
        }
        Some(node)
    }
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

    fn flagged(leaves: &[Hash], index: usize) -> Vec<FlaggedSibling> {
        let mut node = leaves[index];
        proof(leaves, index)
            .into_iter()
            .map(|sibling| {
                let mut element = [0u8; 33];
                element[0] = if cmp32(&sibling, &node).is_lt() { SIBLING_FIRST } else { NODE_FIRST };
                element[1..].copy_from_slice(&sibling);
                node = hash_node(&node, &sibling);
                element
            })
            .collect()
    }

    #[test]
    fn flagged_proofs_reach_the_same_root_and_wrong_flags_do_not() {
        for n in 1..=9u8 {
            let leaves: Vec<Hash> = (0..n).map(|i| hash_leaf(&[&[i]])).collect();
            let r = root(&leaves);
            for i in 0..n as usize {
                let mut p = flagged(&leaves, i);
                assert_eq!(root_from_flagged_proof(leaves[i], &p), Some(r), "n={n} i={i}");
                if !p.is_empty() {
                    p[0][0] ^= 1;
                    assert_ne!(root_from_flagged_proof(leaves[i], &p), Some(r), "a flipped flag must fail");
                    p[0][0] = 2;
                    assert_eq!(root_from_flagged_proof(leaves[i], &p), None, "flags are 0 or 1");
                }
            }
        }
    }

    /// Golden flagged proof (shared with tests/rewards/distribution.test.ts): leaf 3 of the five-leaf golden
    /// tree, its siblings flagged 1, 1, 0.
    #[test]
    fn golden_flagged_proof() {
        let leaves: Vec<Hash> = (0..5u8).map(|i| hash_leaf(&[&[i; 4]])).collect();
        let bytes: Vec<u8> = flagged(&leaves, 3).concat();
        let hex: std::string::String = bytes.iter().map(|b| std::format!("{b:02x}")).collect();
        assert_eq!(hex, GOLDEN_FLAGGED_PROOF_3);
        assert_eq!(root_from_flagged_proof(leaves[3], &flagged(&leaves, 3)), Some(root(&leaves)));
    }

    const GOLDEN_FLAGGED_PROOF_3: &str = "0146c80c7b358697c7b2da5b6beaa3f3c7f7492b6cd39817fbd11fbeee18ff22bd010d74a956c2377e6f938329890ff757672f6879a1b7f6043816149dba832f9eae00cfa5bd3fb34be17ff2791f53c3dac08f1e45df1717c940c132fa69a4318f071e";

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
