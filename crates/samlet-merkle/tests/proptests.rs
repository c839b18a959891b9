//! Property tests: generated proofs verify for random sizes and indices, the
//! incrementally maintained root equals the RFC recursive definition, and a
//! single flipped bit anywhere in a proof or root is detected.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report
use proptest::prelude::*;
use samlet_merkle::{
    leaf_hash, root_from_leaf_hashes, verify_consistency, verify_inclusion, Hash, MemoryStore,
    MerkleTree,
};
use std::sync::OnceLock;

const N: u64 = 3000;

struct Shared {
    tree: MerkleTree<MemoryStore>,
    hashes: Vec<Hash>,
}

/// One tree of N leaves shared by all cases (building it per case would
/// dominate the run time).
fn shared() -> &'static Shared {
    static S: OnceLock<Shared> = OnceLock::new();
    S.get_or_init(|| {
        let data: Vec<Vec<u8>> = (0..N).map(|i| i.to_be_bytes().to_vec()).collect();
        let mut tree = MerkleTree::new(MemoryStore::new());
        tree.append_batch(&data).unwrap();
        let hashes = data.iter().map(|d| leaf_hash(d)).collect();
        Shared { tree, hashes }
    })
}

fn flip(bytes: &mut [u8], bit: usize) {
    let bit = bit % (bytes.len() * 8);
    bytes[bit / 8] ^= 1 << (bit % 8);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn inclusion_proofs_verify(size in 1..=N, idx_seed in any::<u64>()) {
        let s = shared();
        let index = idx_seed % size;
        let root = root_from_leaf_hashes(&s.hashes[..size as usize]);
        prop_assert_eq!(s.tree.root_at(size).unwrap(), root);
        let proof = s.tree.inclusion_proof(index, size).unwrap();
        prop_assert!(proof.len() <= 64 - (size.leading_zeros() as usize) + 1);
        verify_inclusion(index, size, &s.hashes[index as usize], &proof, &root).unwrap();
    }

    #[test]
    fn consistency_proofs_verify(a in 1..=N, b in 1..=N) {
        let s = shared();
        let (size1, size2) = (a.min(b), a.max(b));
        let root1 = root_from_leaf_hashes(&s.hashes[..size1 as usize]);
        let root2 = root_from_leaf_hashes(&s.hashes[..size2 as usize]);
        let proof = s.tree.consistency_proof(size1, size2).unwrap();
        verify_consistency(size1, size2, &proof, &root1, &root2).unwrap();
    }

    #[test]
    fn incremental_root_equals_recursive_definition(
        batches in prop::collection::vec(
            prop::collection::vec(prop::collection::vec(any::<u8>(), 0..40), 0..40),
            1..8,
        )
    ) {
        let mut tree = MerkleTree::new(MemoryStore::new());
        let mut hashes = Vec::new();
        for batch in &batches {
            let (size, root) = tree.append_batch(batch).unwrap();
            hashes.extend(batch.iter().map(|d| leaf_hash(d)));
            prop_assert_eq!(size, hashes.len() as u64);
            prop_assert_eq!(root, root_from_leaf_hashes(&hashes));
        }
        // Every past root, read back from the store.
        for m in 0..=hashes.len() {
            prop_assert_eq!(tree.root_at(m as u64).unwrap(), root_from_leaf_hashes(&hashes[..m]));
        }
    }

    #[test]
    fn flipped_bit_breaks_inclusion(size in 1..=N, idx_seed in any::<u64>(), which in any::<usize>(), bit in any::<usize>()) {
        let s = shared();
        let index = idx_seed % size;
        let mut root = s.tree.root_at(size).unwrap();
        let mut leaf = s.hashes[index as usize];
        let mut proof = s.tree.inclusion_proof(index, size).unwrap();
        // Choose the proof element, the root or the leaf hash to damage.
        let target = which % (proof.len() + 2);
        if target < proof.len() {
            flip(&mut proof[target], bit);
        } else if target == proof.len() {
            flip(&mut root, bit);
        } else {
            flip(&mut leaf, bit);
        }
        prop_assert!(verify_inclusion(index, size, &leaf, &proof, &root).is_err());
    }

    #[test]
    fn flipped_bit_breaks_consistency(a in 1..=N, b in 1..=N, which in any::<usize>(), bit in any::<usize>()) {
        let s = shared();
        let (size1, size2) = (a.min(b), a.max(b));
        let mut root1 = s.tree.root_at(size1).unwrap();
        let mut root2 = s.tree.root_at(size2).unwrap();
        let mut proof = s.tree.consistency_proof(size1, size2).unwrap();
        let target = which % (proof.len() + 2);
        if target < proof.len() {
            flip(&mut proof[target], bit);
        } else if target == proof.len() {
            flip(&mut root1, bit);
        } else {
            flip(&mut root2, bit);
        }
        prop_assert!(verify_consistency(size1, size2, &proof, &root1, &root2).is_err());
    }
}
