//! Proof verification, ported from transparency-dev/merkle's `proof` package
//! (`VerifyInclusion`, `RootFromInclusionProof`, `VerifyConsistency`,
//! `RootFromConsistencyProof`) with RFC 6962 hashing.
//!
//! These functions are pure and need no store: they are what a citizen's
//! client or an auditor runs. Like the Go reference they accept hashes of any
//! length (a malformed proof element just fails to reproduce the root), except
//! the leaf hash, whose length is checked.

use crate::hash::{node_hash, Hash, HASH_SIZE};

/// Why a proof did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The leaf index is not inside the tree.
    #[error("index is beyond size: {index} >= {size}")]
    IndexBeyondSize {
        /// Claimed leaf index.
        index: u64,
        /// Claimed tree size.
        size: u64,
    },
    /// The leaf hash is not a SHA-256 digest.
    #[error("leaf hash has unexpected size {got}, want {HASH_SIZE}")]
    LeafHashSize {
        /// Length of the given leaf hash.
        got: usize,
    },
    /// The proof has the wrong number of hashes for the sizes/index claimed.
    #[error("wrong proof size {got}, want {want}")]
    WrongProofSize {
        /// Hashes in the proof.
        got: usize,
        /// Hashes a proof for these parameters must have.
        want: usize,
    },
    /// The proof leads to a different root than the one claimed.
    #[error("calculated root {} does not match expected root {}", hex(.calculated), hex(.expected))]
    RootMismatch {
        /// Root the caller expected.
        expected: Vec<u8>,
        /// Root the proof produced.
        calculated: Vec<u8>,
    },
    /// A consistency proof does not reproduce the old tree's root.
    #[error("calculated old root {} does not match expected old root {}", hex(.calculated), hex(.expected))]
    OldRootMismatch {
        /// Old root the caller gave.
        expected: Vec<u8>,
        /// Old root the proof produced.
        calculated: Vec<u8>,
    },
    /// A log can only grow: the second size must not be smaller.
    #[error("size2 ({size2}) < size1 ({size1})")]
    SizeDecreasing {
        /// Older tree size.
        size1: u64,
        /// Newer tree size.
        size2: u64,
    },
    /// Consistency from the empty tree proves nothing.
    #[error("consistency proof from empty tree is meaningless")]
    EmptyOldTree,
    /// Equal sizes need an empty consistency proof.
    #[error("size1=size2, but proof is not empty")]
    ProofNotEmpty,
    /// Different sizes need a non-empty consistency proof.
    #[error("empty proof")]
    EmptyProof,
}

/// Lower-case hex for error messages.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn verify_match(calculated: &[u8], expected: &[u8]) -> Result<(), VerifyError> {
    if calculated == expected {
        Ok(())
    } else {
        Err(VerifyError::RootMismatch {
            expected: expected.to_vec(),
            calculated: calculated.to_vec(),
        })
    }
}

/// Checks that `leaf_hash` is leaf `index` of the tree of `size` leaves whose
/// root is `root`, using the audit path `proof` (leaf to root order).
pub fn verify_inclusion<P: AsRef<[u8]>>(
    index: u64,
    size: u64,
    leaf_hash: &[u8],
    proof: &[P],
    root: &[u8],
) -> Result<(), VerifyError> {
    let calculated = root_from_inclusion_proof(index, size, leaf_hash, proof)?;
    verify_match(&calculated, root)
}

/// Root implied by an inclusion proof; requires `index < size`.
pub fn root_from_inclusion_proof<P: AsRef<[u8]>>(
    index: u64,
    size: u64,
    leaf_hash: &[u8],
    proof: &[P],
) -> Result<Hash, VerifyError> {
    if index >= size {
        return Err(VerifyError::IndexBeyondSize { index, size });
    }
    let leaf: Hash = leaf_hash
        .try_into()
        .map_err(|_| VerifyError::LeafHashSize {
            got: leaf_hash.len(),
        })?;
    let (inner, border) = decomp_incl_proof(index, size);
    if proof.len() != inner + border {
        return Err(VerifyError::WrongProofSize {
            got: proof.len(),
            want: inner + border,
        });
    }
    let res = chain_inner(leaf, &proof[..inner], index);
    Ok(chain_border_right(res, &proof[inner..]))
}

/// Checks that the tree of `size2` leaves with root `root2` extends the tree
/// of `size1` leaves with root `root1`. Requires `0 < size1 <= size2`.
pub fn verify_consistency<P: AsRef<[u8]>>(
    size1: u64,
    size2: u64,
    proof: &[P],
    root1: &[u8],
    root2: &[u8],
) -> Result<(), VerifyError> {
    let calculated = root_from_consistency_proof(size1, size2, proof, root1)?;
    verify_match(&calculated, root2)
}

/// Root of the `size2` tree implied by a consistency proof from the `size1`
/// tree with root `root1`; also checks the proof reproduces `root1`.
///
/// Returns `root1` unchanged when the sizes are equal (hence `Vec<u8>`).
pub fn root_from_consistency_proof<P: AsRef<[u8]>>(
    size1: u64,
    size2: u64,
    proof: &[P],
    root1: &[u8],
) -> Result<Vec<u8>, VerifyError> {
    if size2 < size1 {
        return Err(VerifyError::SizeDecreasing { size1, size2 });
    }
    if size1 == 0 {
        return Err(VerifyError::EmptyOldTree);
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(VerifyError::ProofNotEmpty);
        }
        return Ok(root1.to_vec());
    }
    if proof.is_empty() {
        return Err(VerifyError::EmptyProof);
    }

    // Split the proof where the paths to leaves size1-1 and size2-1 diverge.
    let (fork_level, border) = decomp_incl_proof(size1 - 1, size2);
    // Height of the rightmost perfect subtree of the old tree; chaining
    // starts there.
    let shift = size1.trailing_zeros() as usize;
    let inner = fork_level.saturating_sub(shift);

    // The first proof node is the root of that subtree, unless the old tree is
    // itself perfect: then its root is root1, which the verifier already has.
    let (seed, rest): (&[u8], &[P]) = if size1 == 1u64 << shift {
        (root1, proof)
    } else {
        (proof[0].as_ref(), &proof[1..])
    };
    let p_start = proof.len() - rest.len();
    if proof.len() != p_start + inner + border {
        return Err(VerifyError::WrongProofSize {
            got: proof.len(),
            want: p_start + inner + border,
        });
    }
    let mask = (size1 - 1) >> shift;

    // Reproduce the old root from the left-hand nodes only.
    let hash1 = chain_inner_right(seed, &rest[..inner], mask);
    let hash1 = chain_border_right_from(hash1, &rest[inner..]);
    if hash1.as_slice() != root1 {
        return Err(VerifyError::OldRootMismatch {
            expected: root1.to_vec(),
            calculated: hash1,
        });
    }

    // Reproduce the new root from all of them.
    let hash2 = chain_inner_from(seed, &rest[..inner], mask);
    Ok(chain_border_right_from(hash2, &rest[inner..]))
}

/// Lengths of the inner and border parts of an inclusion proof: inner nodes
/// lie below the point where the paths to `index` and `size - 1` diverge.
fn decomp_incl_proof(index: u64, size: u64) -> (usize, usize) {
    let inner = (64 - (index ^ (size - 1)).leading_zeros()) as usize;
    let border = if inner >= 64 {
        0
    } else {
        (index >> inner).count_ones() as usize
    };
    (inner, border)
}

fn chain_inner<P: AsRef<[u8]>>(seed: Hash, proof: &[P], index: u64) -> Hash {
    proof.iter().enumerate().fold(seed, |acc, (i, h)| {
        if (index >> i) & 1 == 0 {
            node_hash(&acc, h.as_ref())
        } else {
            node_hash(h.as_ref(), &acc)
        }
    })
}

/// [`chain_inner`] from a seed of arbitrary length (the old root).
fn chain_inner_from<P: AsRef<[u8]>>(seed: &[u8], proof: &[P], index: u64) -> Vec<u8> {
    let Some((first, rest)) = proof.split_first() else {
        return seed.to_vec();
    };
    let start = if index & 1 == 0 {
        node_hash(seed, first.as_ref())
    } else {
        node_hash(first.as_ref(), seed)
    };
    chain_inner(start, rest, index >> 1).to_vec()
}

/// Like [`chain_inner`] but only uses left siblings, which yields the hash of
/// the older, smaller version of the subtree.
fn chain_inner_right<P: AsRef<[u8]>>(seed: &[u8], proof: &[P], index: u64) -> Vec<u8> {
    let mut acc = seed.to_vec();
    for (i, h) in proof.iter().enumerate() {
        if (index >> i) & 1 == 1 {
            acc = node_hash(h.as_ref(), &acc).to_vec();
        }
    }
    acc
}

fn chain_border_right<P: AsRef<[u8]>>(seed: Hash, proof: &[P]) -> Hash {
    proof
        .iter()
        .fold(seed, |acc, h| node_hash(h.as_ref(), &acc))
}

fn chain_border_right_from<P: AsRef<[u8]>>(seed: Vec<u8>, proof: &[P]) -> Vec<u8> {
    let mut acc = seed;
    for h in proof {
        acc = node_hash(h.as_ref(), &acc).to_vec();
    }
    acc
}
