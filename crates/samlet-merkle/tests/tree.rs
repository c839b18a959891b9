//! The tree's own proofs, roots, tiles and checkpoints, checked against the
//! RFC definitions and the verifier.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report
use samlet_merkle::tiles::{self, parse_tile, tile_width, TileError};
use samlet_merkle::{
    consistency_plan, empty_root, inclusion_plan, leaf_hash, node_hash, open_checkpoint,
    root_from_leaf_hashes, verify_consistency, verify_inclusion, Checkpoint, CheckpointError, Hash,
    MemoryStore, MerkleTree, NodeId, NodeStore, NoteError, ProofError, SignerKey, TreeError,
    VerifyError,
};
use std::cell::Cell;

fn leaves(n: u64) -> Vec<Vec<u8>> {
    (0..n).map(|i| format!("access-{i}").into_bytes()).collect()
}

fn leaf_hashes(n: u64) -> Vec<Hash> {
    leaves(n).iter().map(|l| leaf_hash(l)).collect()
}

/// Every inclusion and consistency proof of every tree up to 40 leaves.
#[test]
fn all_small_proofs_verify() {
    const N: u64 = 40;
    let hashes = leaf_hashes(N);
    let mut tree = MerkleTree::new(MemoryStore::new());
    tree.append_batch(&leaves(N)).unwrap();
    let roots: Vec<Hash> = (0..=N)
        .map(|m| root_from_leaf_hashes(&hashes[..m as usize]))
        .collect();
    for size in 0..=N {
        assert_eq!(tree.root_at(size).unwrap(), roots[size as usize]);
        for index in 0..size {
            let proof = tree.inclusion_proof(index, size).unwrap();
            verify_inclusion(
                index,
                size,
                &hashes[index as usize],
                &proof,
                &roots[size as usize],
            )
            .unwrap_or_else(|e| panic!("inclusion {index}/{size}: {e}"));
        }
        for size1 in 1..=size {
            let proof = tree.consistency_proof(size1, size).unwrap();
            verify_consistency(
                size1,
                size,
                &proof,
                &roots[size1 as usize],
                &roots[size as usize],
            )
            .unwrap_or_else(|e| panic!("consistency {size1}->{size}: {e}"));
        }
    }
}

#[test]
fn one_at_a_time_equals_batch_and_reopen() {
    let data = leaves(77);
    let mut a = MerkleTree::new(MemoryStore::new());
    for d in &data {
        a.append(d).unwrap();
    }
    let mut b = MerkleTree::new(MemoryStore::new());
    b.append_batch(&data[..30]).unwrap();
    // Reopen from the store alone, as the server does after a restart.
    let mut b = MerkleTree::open(b.into_store(), 30).unwrap();
    let (size, root) = b.append_batch(&data[30..]).unwrap();
    assert_eq!(size, 77);
    assert_eq!(root, a.root());
    assert_eq!(a.leaf_hash(5).unwrap(), leaf_hash(&data[5]));
    assert!(matches!(
        a.leaf_hash(77),
        Err(TreeError::Proof(ProofError::IndexBeyondSize {
            index: 77,
            size: 77
        }))
    ));
    // Writes are fewer than two per leaf: 77 leaves + 76 interior nodes at most.
    let stored: u64 = (0..8).map(|l| a.store().level_len(l)).sum();
    assert!(stored < 2 * 77, "{stored}");
}

#[test]
fn request_errors() {
    let mut tree = MerkleTree::new(MemoryStore::new());
    assert_eq!(tree.root(), empty_root());
    assert_eq!(tree.root_at(0).unwrap(), empty_root());
    tree.append_batch(&leaves(5)).unwrap();
    assert!(matches!(
        tree.inclusion_proof(0, 6),
        Err(TreeError::SizeBeyondTree {
            requested: 6,
            size: 5
        })
    ));
    assert!(matches!(
        tree.inclusion_proof(5, 5),
        Err(TreeError::Proof(ProofError::IndexBeyondSize { .. }))
    ));
    assert!(matches!(
        tree.consistency_proof(0, 5),
        Err(TreeError::Proof(ProofError::EmptyOldTree))
    ));
    assert!(matches!(
        tree.consistency_proof(4, 3),
        Err(TreeError::Proof(ProofError::SizeDecreasing { .. }))
    ));
    assert!(tree.consistency_proof(5, 5).unwrap().is_empty());
    // A tree claiming more leaves than its store has.
    let store = tree.into_store();
    assert!(matches!(
        MerkleTree::open(store, 9),
        Err(TreeError::MissingNode(NodeId { level: 3, index: 0 }))
    ));
}

#[test]
fn verify_errors_are_specific() {
    let hashes = leaf_hashes(8);
    let mut tree = MerkleTree::new(MemoryStore::new());
    tree.append_batch(&leaves(8)).unwrap();
    let root = tree.root();
    let proof = tree.inclusion_proof(3, 8).unwrap();
    assert_eq!(
        verify_inclusion(8, 8, &hashes[3], &proof, &root),
        Err(VerifyError::IndexBeyondSize { index: 8, size: 8 })
    );
    assert_eq!(
        verify_inclusion(3, 8, &hashes[3], &proof[..2], &root),
        Err(VerifyError::WrongProofSize { got: 2, want: 3 })
    );
    assert_eq!(
        verify_inclusion(3, 8, &hashes[3][..31], &proof, &root),
        Err(VerifyError::LeafHashSize { got: 31 })
    );
    assert!(matches!(
        verify_inclusion(3, 8, &hashes[4], &proof, &root),
        Err(VerifyError::RootMismatch { .. })
    ));
    let old = tree.root_at(3).unwrap();
    let cproof = tree.consistency_proof(3, 8).unwrap();
    assert!(matches!(
        verify_consistency(3, 8, &cproof, &root, &root),
        Err(VerifyError::OldRootMismatch { .. })
    ));
    assert_eq!(
        verify_consistency(8, 3, &cproof, &old, &root),
        Err(VerifyError::SizeDecreasing { size1: 8, size2: 3 })
    );
    assert_eq!(
        verify_consistency::<Hash>(3, 8, &[], &old, &root),
        Err(VerifyError::EmptyProof)
    );
    let msg = verify_inclusion(3, 8, &hashes[4], &proof, &root)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("does not match"), "{msg}");
}

/// The plan/build split: fetch the nodes separately, as a database would.
#[test]
fn plan_then_build() {
    let mut tree = MerkleTree::new(MemoryStore::new());
    tree.append_batch(&leaves(1000)).unwrap();
    let plan = inclusion_plan(123, 999).unwrap();
    assert!(plan.node_ids().len() <= 2 * 10);
    let fetched: Vec<Hash> = tree
        .store()
        .get_many(plan.node_ids())
        .unwrap()
        .into_iter()
        .map(|h| h.unwrap())
        .collect();
    assert_eq!(
        plan.build(&fetched).unwrap(),
        tree.inclusion_proof(123, 999).unwrap()
    );
    let plan = consistency_plan(517, 999).unwrap();
    let fetched: Vec<Hash> = plan
        .node_ids()
        .iter()
        .map(|id| tree.store().get(*id).unwrap().unwrap())
        .collect();
    assert_eq!(
        plan.build(&fetched).unwrap(),
        tree.consistency_proof(517, 999).unwrap()
    );
}

/// A store that counts reads and can be told to fail writes.
#[derive(Default)]
struct FlakyStore {
    inner: MemoryStore,
    fail_writes: bool,
    reads: Cell<usize>,
}

#[derive(Debug, thiserror::Error)]
#[error("database unavailable")]
struct DbDown;

impl NodeStore for FlakyStore {
    type Error = DbDown;
    fn get(&self, id: NodeId) -> Result<Option<Hash>, DbDown> {
        self.reads.set(self.reads.get() + 1);
        Ok(self.inner.get(id).unwrap_or(None))
    }
    fn put(&mut self, id: NodeId, hash: Hash) -> Result<(), DbDown> {
        if self.fail_writes {
            return Err(DbDown);
        }
        self.inner.put(id, hash).map_err(|_| DbDown)
    }
}

#[test]
fn failed_batch_leaves_tree_unchanged_and_reads_are_logarithmic() {
    let mut tree = MerkleTree::new(FlakyStore::default());
    tree.append_batch(&leaves(1000)).unwrap();
    let root = tree.root();
    let mut store = tree.into_store();
    store.fail_writes = true;
    let mut tree = MerkleTree::open(store, 1000).unwrap();
    let err = tree.append_batch(&leaves(3)).unwrap_err();
    assert!(matches!(err, TreeError::Store(DbDown)));
    assert_eq!(err.to_string(), "node store failed: database unavailable");
    assert_eq!((tree.size(), tree.root()), (1000, root));

    tree.store().reads.set(0);
    tree.inclusion_proof(517, 1000).unwrap();
    tree.consistency_proof(333, 1000).unwrap();
    tree.root_at(999).unwrap();
    // log2(1000) ≈ 10: at most ~2·10 per proof plus popcount(999) for the root.
    assert!(
        tree.store().reads.get() <= 50,
        "{}",
        tree.store().reads.get()
    );
}

#[test]
fn tiles_match_direct_hashes() {
    // 256·3 + 10 leaves: three full level-0 tiles, one partial, and a
    // partial level-1 tile with 3 hashes.
    let n = 256 * 3 + 10;
    let hashes = leaf_hashes(n);
    let mut tree = MerkleTree::new(MemoryStore::new());
    tree.append_batch(&leaves(n)).unwrap();

    let t0 = parse_tile(&tree.tile(0, 0, None).unwrap()).unwrap();
    assert_eq!(t0, hashes[..256].to_vec());
    let t3 = tree.tile(0, 3, None).unwrap();
    assert_eq!(t3.len(), 10 * 32);
    assert_eq!(parse_tile(&t3).unwrap(), hashes[768..778].to_vec());
    assert_eq!(tree.tile(0, 3, Some(4)).unwrap(), t3[..4 * 32].to_vec());
    assert!(matches!(
        tree.tile(0, 3, Some(11)),
        Err(TreeError::Tile(TileError::BeyondTree { available: 10, .. }))
    ));
    assert!(matches!(
        tree.tile(0, 4, None),
        Err(TreeError::Tile(TileError::InvalidWidth(0)))
    ));

    // Level 1 holds the level-8 nodes: roots of each full level-0 tile.
    let t1 = parse_tile(&tree.tile(1, 0, None).unwrap()).unwrap();
    assert_eq!(tile_width(n, 1, 0).unwrap(), 3);
    let want: Vec<Hash> = (0..3)
        .map(|i| root_from_leaf_hashes(&hashes[i * 256..(i + 1) * 256]))
        .collect();
    assert_eq!(t1, want);
    // And a tile's hashes rebuild the level above: hash pairs of tile 0.
    assert_eq!(
        node_hash(&t0[0], &t0[1]),
        tree.store().get(NodeId::new(1, 0)).unwrap().unwrap()
    );
    assert_eq!(tiles::tile_path(0, 3, Some(10)).unwrap(), "tile/0/003.p/10");
    assert_eq!(tiles::tile_path(1, 0, Some(3)).unwrap(), "tile/1/000.p/3");
    // Tiles of an older tree size, straight from the store.
    let old = tiles::read_tile(tree.store(), 300, 0, 1, None).unwrap();
    assert_eq!(parse_tile(&old).unwrap(), hashes[256..300].to_vec());
    assert!(matches!(
        tiles::read_tile(tree.store(), 300, 1, 0, Some(2)),
        Err(TreeError::Tile(TileError::BeyondTree { available: 1, .. }))
    ));
}

#[test]
fn checkpoint_sign_and_open() {
    let log_key = SignerKey::generate("samlet.example/log").unwrap();
    let witness = SignerKey::generate("witness.example").unwrap();
    let mut tree = MerkleTree::new(MemoryStore::new());
    let (size, root) = tree.append_batch(&leaves(10)).unwrap();
    let mut cp = Checkpoint::new("samlet.example/log", size, root);
    cp.extensions.push("Timestamp: 1700000000".into());
    let text = cp.to_text().unwrap();
    assert!(text.starts_with("samlet.example/log\n10\n"));
    let signed = cp.sign(&log_key).unwrap();
    assert!(signed.contains("\n\n\u{2014} samlet.example/log "));

    let (got, note) = open_checkpoint(
        signed.as_bytes(),
        "samlet.example/log",
        &log_key.verifier(),
        &[],
    )
    .unwrap();
    assert_eq!(got, cp);
    assert_eq!(note.verified.len(), 1);

    // Wrong origin, wrong key, tampered size.
    assert!(matches!(
        open_checkpoint(signed.as_bytes(), "other/log", &log_key.verifier(), &[]),
        Err(CheckpointError::OriginMismatch { .. })
    ));
    assert!(matches!(
        open_checkpoint(
            signed.as_bytes(),
            "samlet.example/log",
            &witness.verifier(),
            &[]
        ),
        Err(CheckpointError::Note(NoteError::NoVerifiableSignatures(_)))
    ));
    let tampered = signed.replacen("\n10\n", "\n11\n", 1);
    assert!(matches!(
        open_checkpoint(
            tampered.as_bytes(),
            "samlet.example/log",
            &log_key.verifier(),
            &[]
        ),
        Err(CheckpointError::Note(NoteError::InvalidSignature { .. }))
    ));
    // Only a witness signature known: verified note, but not by the log.
    let cosigned = format!(
        "{}{}",
        signed,
        samlet_merkle::note::signature_line(&text, &witness)
    );
    let (_, note) = open_checkpoint(
        cosigned.as_bytes(),
        "samlet.example/log",
        &log_key.verifier(),
        &[witness.verifier()],
    )
    .unwrap();
    assert_eq!(note.verified.len(), 2);
    let witness_only = format!(
        "{text}\n{}",
        samlet_merkle::note::signature_line(&text, &witness)
    );
    let err = open_checkpoint(
        witness_only.as_bytes(),
        "samlet.example/log",
        &log_key.verifier(),
        &[witness.verifier()],
    )
    .unwrap_err();
    assert!(matches!(err, CheckpointError::NotSignedByLog(_)));
}

#[test]
fn checkpoint_body_syntax() {
    let root = [7u8; 32];
    let good = Checkpoint::new("o", 5, root).to_text().unwrap();
    assert_eq!(Checkpoint::from_text(&good).unwrap().size, 5);
    for bad in [
        "o\n05\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
        "o\n+5\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
        "o\n18446744073709551616\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
        "o\n5\nBwcH\n",
        "o\n5\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=",
        "\n5\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n",
        "o\n5\n",
        "o\n5\nBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=\n\n",
    ] {
        assert!(
            matches!(
                Checkpoint::from_text(bad),
                Err(CheckpointError::Malformed(_))
            ),
            "accepted {bad:?}"
        );
    }
    assert!(Checkpoint::new("bad\norigin", 1, root).to_text().is_err());
}

#[test]
fn prepare_then_commit_in_callers_transaction() {
    let mut tree = MerkleTree::new(MemoryStore::new());
    tree.append_batch(&leaves(10)).unwrap();
    let extra = leaf_hashes(20)[10..].to_vec();
    let pending = tree.prepare_append(&extra).unwrap();
    assert_eq!(pending.new_size(), 20);
    // Not yet visible.
    assert_eq!(tree.size(), 10);
    let stale = tree.prepare_append(&extra[..1]).unwrap();
    // "Transaction": the caller writes the nodes itself.
    let mut store = tree.into_store();
    store.put_many(&pending.nodes).unwrap();
    let mut tree = MerkleTree::open(store, 10).unwrap();
    let (size, root) = tree.commit_append(pending).unwrap();
    assert_eq!(size, 20);
    assert_eq!(root, root_from_leaf_hashes(&leaf_hashes(20)));
    assert_eq!(tree.root_at(20).unwrap(), root);
    assert!(matches!(
        tree.commit_append(stale),
        Err(TreeError::StaleAppend {
            prepared_at: 10,
            size: 20
        })
    ));
}
