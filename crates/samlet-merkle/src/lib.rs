//! # samlet-merkle
//!
//! The cryptographic core of Samlet's access log: every access to a citizen's
//! data is appended to a tamper-evident, append-only Merkle log in the style
//! of Certificate Transparency, so that anyone holding a signed checkpoint can
//! check that an entry is in the log and that no entry was ever removed.
//!
//! ## Pieces
//!
//! - [`hash`]: RFC 9162 hashing — leaf `SHA-256(0x00 || data)`, node
//!   `SHA-256(0x01 || left || right)`, empty root `SHA-256("")` — and the
//!   recursive reference definition [`root_from_leaf_hashes`].
//! - [`NodeStore`]: the storage trait. It holds the hashes of *complete*
//!   subtrees addressed by [`NodeId`] `(level, index)` (level 0 = leaf hashes).
//!   Its methods return `Result` with an associated error, since the real
//!   store is a database; [`MemoryStore`] is the in-memory implementation.
//! - [`MerkleTree`]: appends leaves ([`MerkleTree::append_batch`] writes a
//!   whole batch with one `put_many`; [`MerkleTree::prepare_append`] /
//!   [`MerkleTree::commit_append`] let the caller write the nodes in its own
//!   transaction), and serves roots at any past size, inclusion proofs and
//!   consistency proofs. Free functions in [`tree`] serve the same from any
//!   store and committed size, for read-only replicas.
//! - [`plan`]: the pure arithmetic behind proofs. [`inclusion_plan`] /
//!   [`consistency_plan`] / [`root_node_ids`] list the node addresses a proof
//!   needs, so a database can fetch them in one query, and
//!   [`ProofPlan::build`] assembles the proof from the fetched hashes.
//! - [`verify`]: pure verification functions ported from
//!   transparency-dev/merkle's `proof` package, with typed [`VerifyError`]s.
//! - [`note`] and [`checkpoint`]: C2SP signed notes with Ed25519 keys
//!   (compatible with `golang.org/x/mod/sumdb/note`) and C2SP tlog-checkpoints.
//! - [`tiles`]: C2SP tlog-tiles paths, tile contents and entry bundles, so Go
//!   tooling can read the log as static files.
//!
//! ## Invariants
//!
//! - Only complete subtrees are stored, so a stored hash never changes: the
//!   store is append-only and every node can be cached forever.
//! - Appending a leaf writes the leaf hash plus one node per subtree it
//!   completes (fewer than two writes per leaf on average) and reads nothing:
//!   the tree keeps its "frontier" (at most 64 perfect-subtree roots) in memory.
//! - The root at any size `m`, an inclusion proof and a consistency proof need
//!   at most about `2·log2(n)` store reads and as many hashes; nothing is
//!   recomputed from the leaves. The current root needs no read at all.
//! - Proofs are exactly those of RFC 9162 §2.1.3–2.1.4 and verify with any
//!   RFC 6962 verifier (Go's transparency-dev/merkle, Trillian, sunlight...).
//! - A failed batch append leaves the tree's size and root unchanged.
//!
//! ## Example
//!
//! ```
//! use samlet_merkle::{MemoryStore, MerkleTree, leaf_hash, verify_inclusion, verify_consistency};
//!
//! let mut tree = MerkleTree::new(MemoryStore::new());
//! let (size, root) = tree.append_batch(&[b"a".as_slice(), b"b", b"c"]).unwrap();
//! assert_eq!(size, 3);
//!
//! let proof = tree.inclusion_proof(1, size).unwrap();
//! verify_inclusion(1, size, &leaf_hash(b"b"), &proof, &root).unwrap();
//!
//! let old_root = tree.root_at(2).unwrap();
//! let proof = tree.consistency_proof(2, 3).unwrap();
//! verify_consistency(2, 3, &proof, &old_root, &root).unwrap();
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod checkpoint;
pub mod hash;
pub mod note;
pub mod plan;
pub mod store;
pub mod tiles;
pub mod tree;
pub mod verify;

pub use checkpoint::{open_checkpoint, Checkpoint, CheckpointError};
pub use hash::{empty_root, leaf_hash, node_hash, root_from_leaf_hashes, Hash, HASH_SIZE};
pub use note::{
    open_note, open_note_with, sign_note, Note, NoteError, NoteSignature, SignerKey, VerifierKey,
    Verifiers,
};
pub use plan::{consistency_plan, inclusion_plan, root_node_ids, ProofError, ProofPlan};
pub use store::{MemoryStore, MemoryStoreError, NodeId, NodeStore};
pub use tiles::{entries_path, parse_tile_path, read_tile, tile_path, TileError, TilePath};
pub use tree::{MerkleTree, PendingAppend, TreeError};
pub use verify::{
    root_from_consistency_proof, root_from_inclusion_proof, verify_consistency, verify_inclusion,
    VerifyError,
};
