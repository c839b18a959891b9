//! Which stored nodes a root or proof needs, and how to assemble it from them.
//!
//! Planning is pure arithmetic on sizes and indices, so a database-backed
//! store can fetch every node a proof needs in one query
//! ([`NodeStore::get_many`](crate::NodeStore::get_many)) and then call
//! [`ProofPlan::build`].

use crate::hash::{empty_root, largest_power_of_two_below, node_hash, Hash};
use crate::store::NodeId;
use std::ops::Range;

/// Error in the arguments of a proof request or in the hashes given to build it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// Inclusion proof requested for a leaf that is not in the tree.
    #[error("leaf index {index} is beyond tree size {size}")]
    IndexBeyondSize {
        /// Requested leaf index.
        index: u64,
        /// Tree size the proof is for.
        size: u64,
    },
    /// Consistency proof requested from a larger to a smaller tree.
    #[error("size1 ({size1}) is greater than size2 ({size2})")]
    SizeDecreasing {
        /// Older tree size.
        size1: u64,
        /// Newer tree size.
        size2: u64,
    },
    /// Consistency from the empty tree proves nothing (RFC 9162 §2.1.4).
    #[error("consistency proof from an empty tree is meaningless")]
    EmptyOldTree,
    /// The number of hashes given to [`ProofPlan::build`] does not match the plan.
    #[error("got {got} node hashes, plan needs {expected}")]
    WrongHashCount {
        /// Hashes the plan needs.
        expected: usize,
        /// Hashes supplied.
        got: usize,
    },
}

/// The stored nodes a proof (or root) needs and how to combine them.
///
/// Each proof element is either a stored node or the hash of an incomplete
/// ("ephemeral") subtree, folded right-to-left from several stored nodes.
/// The total number of nodes is at most about 2·log2(n).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProofPlan {
    ids: Vec<NodeId>,
    parts: Vec<Range<usize>>,
}

impl ProofPlan {
    /// Stored nodes to read, in the order [`ProofPlan::build`] expects them.
    pub fn node_ids(&self) -> &[NodeId] {
        &self.ids
    }

    /// Number of hashes in the finished proof.
    pub fn proof_len(&self) -> usize {
        self.parts.len()
    }

    /// Assembles the proof from the hashes of [`ProofPlan::node_ids`], in order.
    pub fn build(&self, hashes: &[Hash]) -> Result<Vec<Hash>, ProofError> {
        if hashes.len() != self.ids.len() {
            return Err(ProofError::WrongHashCount {
                expected: self.ids.len(),
                got: hashes.len(),
            });
        }
        Ok(self
            .parts
            .iter()
            .map(|r| fold_right(&hashes[r.clone()]))
            .collect())
    }

    fn push_range(&mut self, lo: u64, hi: u64) {
        let start = self.ids.len();
        decompose(lo, hi, &mut self.ids);
        self.parts.push(start..self.ids.len());
    }

    /// Reverses the recorded (top-down) parts into proof order (bottom-up),
    /// keeping `ids` in the same order as the parts that use them.
    fn into_bottom_up(self) -> Self {
        let mut out = ProofPlan {
            ids: Vec::with_capacity(self.ids.len()),
            parts: Vec::with_capacity(self.parts.len()),
        };
        for r in self.parts.iter().rev() {
            let start = out.ids.len();
            out.ids.extend_from_slice(&self.ids[r.clone()]);
            out.parts.push(start..out.ids.len());
        }
        out
    }

    fn empty() -> Self {
        Self {
            ids: Vec::new(),
            parts: Vec::new(),
        }
    }
}

/// Hash of a run of adjacent perfect subtrees, left to right: the rightmost
/// are combined first, as in the RFC 9162 definition of an unbalanced tree.
/// An empty run is the empty tree.
fn fold_right(hashes: &[Hash]) -> Hash {
    let mut iter = hashes.iter().rev();
    let Some(last) = iter.next() else {
        return empty_root();
    };
    iter.fold(*last, |acc, left| node_hash(left, &acc))
}

/// Appends the perfect subtrees covering `[lo, hi)`, largest first.
///
/// Requires `lo` to be a multiple of the largest power of two not above
/// `hi - lo` (true for every range the RFC recursion produces, and for lo = 0).
fn decompose(lo: u64, hi: u64, out: &mut Vec<NodeId>) {
    let mut cur = lo;
    let width = hi - lo;
    for level in (0..64u8).rev() {
        if width & (1u64 << level) != 0 {
            out.push(NodeId::new(level, cur >> level));
            cur += 1u64 << level;
        }
    }
}

/// Stored nodes whose right-to-left fold is the root of the tree of `size`
/// leaves: one per set bit of `size` (none for the empty tree).
pub fn root_node_ids(size: u64) -> Vec<NodeId> {
    let mut ids = Vec::with_capacity(size.count_ones() as usize);
    decompose(0, size, &mut ids);
    ids
}

/// Root hash from the hashes of [`root_node_ids`], in order; the empty
/// slice gives the empty-tree root.
pub fn root_from_nodes(hashes: &[Hash]) -> Hash {
    fold_right(hashes)
}

/// Plan of the RFC 9162 §2.1.3 inclusion proof (audit path) for leaf
/// `index` in the tree of `size` leaves. Proof order is leaf to root.
pub fn inclusion_plan(index: u64, size: u64) -> Result<ProofPlan, ProofError> {
    if index >= size {
        return Err(ProofError::IndexBeyondSize { index, size });
    }
    // Walk PATH(m, D[lo:hi]) top-down, recording the sibling of each step,
    // then reverse to get the bottom-up order of the RFC.
    let mut plan = ProofPlan::empty();
    let (mut lo, mut hi) = (0u64, size);
    while hi - lo > 1 {
        let k = largest_power_of_two_below(hi - lo);
        if index < lo + k {
            plan.push_range(lo + k, hi);
            hi = lo + k;
        } else {
            plan.push_range(lo, lo + k);
            lo += k;
        }
    }
    Ok(plan.into_bottom_up())
}

/// Plan of the RFC 9162 §2.1.4 consistency proof between the trees of
/// `size1` and `size2` leaves. Equal sizes give an empty proof.
pub fn consistency_plan(size1: u64, size2: u64) -> Result<ProofPlan, ProofError> {
    if size1 > size2 {
        return Err(ProofError::SizeDecreasing { size1, size2 });
    }
    if size1 == 0 {
        return Err(ProofError::EmptyOldTree);
    }
    // SUBPROOF(m, D[lo:hi], b), iteratively and top-down.
    let mut plan = ProofPlan::empty();
    let (mut lo, mut hi) = (0u64, size2);
    let mut whole_old_tree = true;
    while size1 != hi {
        let k = largest_power_of_two_below(hi - lo);
        if size1 - lo <= k {
            plan.push_range(lo + k, hi);
            hi = lo + k;
        } else {
            plan.push_range(lo, lo + k);
            lo += k;
            whole_old_tree = false;
        }
    }
    if !whole_old_tree {
        // The old tree is not a single stored subtree of the new one, so the
        // proof must include the subtree the old tree ends in.
        plan.push_range(lo, hi);
    }
    Ok(plan.into_bottom_up())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_nodes_follow_bits() {
        assert!(root_node_ids(0).is_empty());
        assert_eq!(
            root_node_ids(7),
            vec![NodeId::new(2, 0), NodeId::new(1, 2), NodeId::new(0, 6)]
        );
    }

    #[test]
    fn inclusion_plan_shapes() {
        let p = inclusion_plan(0, 8).unwrap();
        assert_eq!(
            p.node_ids(),
            &[NodeId::new(0, 1), NodeId::new(1, 1), NodeId::new(2, 1)]
        );
        // Leaf 0 of 7: the level-2 sibling is the ephemeral node over [4,7).
        let p = inclusion_plan(0, 7).unwrap();
        assert_eq!(p.proof_len(), 3);
        assert_eq!(p.node_ids().len(), 4);
        assert!(matches!(
            inclusion_plan(7, 7),
            Err(ProofError::IndexBeyondSize { index: 7, size: 7 })
        ));
        assert_eq!(inclusion_plan(0, 1).unwrap().proof_len(), 0);
    }

    #[test]
    fn consistency_plan_shapes() {
        assert_eq!(consistency_plan(4, 4).unwrap().proof_len(), 0);
        // RFC 9162 §2.1.5 example: (3, 7) proof is [c, d, g, l].
        let p = consistency_plan(3, 7).unwrap();
        assert_eq!(p.proof_len(), 4);
        assert_eq!(
            p.node_ids(),
            &[
                NodeId::new(0, 2),
                NodeId::new(0, 3),
                NodeId::new(1, 0),
                NodeId::new(1, 2),
                NodeId::new(0, 6)
            ]
        );
        // (4, 7): old tree is a stored subtree, proof is [l] only.
        assert_eq!(consistency_plan(4, 7).unwrap().proof_len(), 1);
        assert_eq!(consistency_plan(0, 3), Err(ProofError::EmptyOldTree));
        assert!(matches!(
            consistency_plan(4, 3),
            Err(ProofError::SizeDecreasing { .. })
        ));
    }

    #[test]
    fn build_checks_count() {
        let p = inclusion_plan(0, 8).unwrap();
        assert_eq!(
            p.build(&[[0; 32]]),
            Err(ProofError::WrongHashCount {
                expected: 3,
                got: 1
            })
        );
    }
}
