//! Append-only Merkle tree over a [`NodeStore`].

use crate::hash::{empty_root, leaf_hash, node_hash, Hash};
use crate::plan::{self, ProofError};
use crate::store::{NodeId, NodeStore};
use crate::tiles::{self, TileError};

/// Failure of a tree operation: either the store failed, the store lacks a
/// node it should have, or the request itself was invalid.
#[derive(Debug, thiserror::Error)]
pub enum TreeError<E: std::error::Error + Send + Sync + 'static> {
    /// The backend reported an error.
    #[error("node store failed: {0}")]
    Store(#[source] E),
    /// The store does not hold a node that a tree of this size must have:
    /// the store and the claimed size disagree.
    #[error("node {0} is missing from the store")]
    MissingNode(NodeId),
    /// `get_many` returned a different number of results than requested.
    #[error("store returned {got} results for {expected} nodes")]
    ShortRead {
        /// Nodes requested.
        expected: usize,
        /// Results returned.
        got: usize,
    },
    /// A size larger than the tree was asked for.
    #[error("tree size {requested} is beyond the current size {size}")]
    SizeBeyondTree {
        /// Size asked for.
        requested: u64,
        /// Current tree size.
        size: u64,
    },
    /// Appending would overflow a 64-bit tree size.
    #[error("appending {count} leaves to a tree of size {size} overflows")]
    SizeOverflow {
        /// Current tree size.
        size: u64,
        /// Leaves in the rejected batch.
        count: usize,
    },
    /// A [`PendingAppend`] was prepared against a different tree size.
    #[error("append prepared at size {prepared_at} but the tree is now at size {size}")]
    StaleAppend {
        /// Size the append was prepared at.
        prepared_at: u64,
        /// Current tree size.
        size: u64,
    },
    /// Invalid proof request.
    #[error(transparent)]
    Proof(#[from] ProofError),
    /// Invalid tile request.
    #[error(transparent)]
    Tile(#[from] TileError),
}

/// Reads `ids` with one [`NodeStore::get_many`] call, failing on any gap.
pub fn read_nodes<S: NodeStore>(
    store: &S,
    ids: &[NodeId],
) -> Result<Vec<Hash>, TreeError<S::Error>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let got = store.get_many(ids).map_err(TreeError::Store)?;
    if got.len() != ids.len() {
        return Err(TreeError::ShortRead {
            expected: ids.len(),
            got: got.len(),
        });
    }
    ids.iter()
        .zip(got)
        .map(|(id, h)| h.ok_or(TreeError::MissingNode(*id)))
        .collect()
}

/// Root of the tree of `size` leaves held in `store` (popcount(size) reads).
pub fn root_at<S: NodeStore>(store: &S, size: u64) -> Result<Hash, TreeError<S::Error>> {
    let hashes = read_nodes(store, &plan::root_node_ids(size))?;
    Ok(plan::root_from_nodes(&hashes))
}

/// Inclusion proof of leaf `index` in the tree of `size` leaves held in `store`.
pub fn inclusion_proof<S: NodeStore>(
    store: &S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, TreeError<S::Error>> {
    let plan = plan::inclusion_plan(index, size)?;
    let hashes = read_nodes(store, plan.node_ids())?;
    Ok(plan.build(&hashes)?)
}

/// Consistency proof between the trees of `size1` and `size2` leaves held in `store`.
pub fn consistency_proof<S: NodeStore>(
    store: &S,
    size1: u64,
    size2: u64,
) -> Result<Vec<Hash>, TreeError<S::Error>> {
    let plan = plan::consistency_plan(size1, size2)?;
    let hashes = read_nodes(store, plan.node_ids())?;
    Ok(plan.build(&hashes)?)
}

/// An append computed by [`MerkleTree::prepare_append`] but not yet adopted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingAppend {
    old_size: u64,
    new_size: u64,
    root: Hash,
    frontier: Vec<Hash>,
    /// Nodes to store, leaf hashes and completed subtrees, in creation order.
    pub nodes: Vec<(NodeId, Hash)>,
}

impl PendingAppend {
    /// Tree size after the append.
    pub fn new_size(&self) -> u64 {
        self.new_size
    }

    /// Root after the append.
    pub fn root(&self) -> Hash {
        self.root
    }
}

/// An append-only Merkle tree (RFC 9162) whose complete subtrees live in a
/// [`NodeStore`].
///
/// Besides the store it keeps only the size and the "frontier": the roots of
/// the perfect subtrees that make up the current tree (at most 64 hashes).
/// That makes appends write-only and the current root free to compute.
#[derive(Debug)]
pub struct MerkleTree<S> {
    store: S,
    size: u64,
    /// Perfect-subtree roots of the current tree, largest (leftmost) first.
    frontier: Vec<Hash>,
}

impl<S: NodeStore> MerkleTree<S> {
    /// Starts an empty tree on `store`, which should hold no nodes.
    pub fn new(store: S) -> Self {
        Self {
            store,
            size: 0,
            frontier: Vec::new(),
        }
    }

    /// Reopens a tree of `size` leaves previously written to `store`; reads
    /// the popcount(size) frontier nodes in one `get_many` call.
    pub fn open(store: S, size: u64) -> Result<Self, TreeError<S::Error>> {
        let frontier = read_nodes(&store, &plan::root_node_ids(size))?;
        Ok(Self {
            store,
            size,
            frontier,
        })
    }

    /// Number of leaves.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Root of the current tree, computed from the frontier without reads.
    pub fn root(&self) -> Hash {
        plan::root_from_nodes(&self.frontier)
    }

    /// Roots of the perfect subtrees that make up the tree, largest first
    /// (what [`MerkleTree::open`] reads back; an auditor can keep them to
    /// check later growth without re-reading old leaves).
    pub fn frontier(&self) -> &[Hash] {
        &self.frontier
    }

    /// The underlying store (read-only, so the tree's invariants hold).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Gives the store back.
    pub fn into_store(self) -> S {
        self.store
    }

    /// Appends one leaf (its data, not its hash); returns the leaf's index.
    pub fn append(&mut self, data: &[u8]) -> Result<u64, TreeError<S::Error>> {
        let index = self.size;
        self.append_leaf_hashes(&[leaf_hash(data)])?;
        Ok(index)
    }

    /// Appends many leaves with a single [`NodeStore::put_many`]; returns the
    /// new size and root. On error the tree is unchanged (size and frontier
    /// stay put; any partial writes are of complete nodes beyond the size and
    /// will be rewritten with the same values by a retry of the same leaves).
    pub fn append_batch<D: AsRef<[u8]>>(
        &mut self,
        leaves: &[D],
    ) -> Result<(u64, Hash), TreeError<S::Error>> {
        let hashes: Vec<Hash> = leaves.iter().map(|d| leaf_hash(d.as_ref())).collect();
        self.append_leaf_hashes(&hashes)
    }

    /// Like [`MerkleTree::append_batch`] but takes leaf hashes, e.g. when the
    /// server has already hashed the entries.
    ///
    /// Writes each leaf hash plus one interior node per subtree it completes:
    /// fewer than two nodes per leaf, and no reads at all.
    pub fn append_leaf_hashes(
        &mut self,
        hashes: &[Hash],
    ) -> Result<(u64, Hash), TreeError<S::Error>> {
        let pending = self.prepare_append(hashes)?;
        if !pending.nodes.is_empty() {
            self.store
                .put_many(&pending.nodes)
                .map_err(TreeError::Store)?;
        }
        self.commit_append(pending)
    }

    /// Computes the nodes an append would write, without touching the store
    /// or the tree. Lets a server write them in its own database transaction
    /// (together with the entries and the new size), then call
    /// [`MerkleTree::commit_append`].
    pub fn prepare_append(&self, hashes: &[Hash]) -> Result<PendingAppend, TreeError<S::Error>> {
        let new_size = u64::try_from(hashes.len())
            .ok()
            .and_then(|count| self.size.checked_add(count))
            .ok_or(TreeError::SizeOverflow {
                size: self.size,
                count: hashes.len(),
            })?;
        let mut frontier = self.frontier.clone();
        let mut nodes = Vec::with_capacity(hashes.len() * 2);
        for (i, h) in (self.size..new_size).zip(hashes) {
            nodes.push((NodeId::new(0, i), *h));
            let mut node = *h;
            let mut index = i;
            let mut level = 0u8;
            // Each trailing 1 bit of the index completes a subtree with the
            // frontier's rightmost (smallest) entry as its left half.
            while index & 1 == 1 {
                let Some(left) = frontier.pop() else { break };
                node = node_hash(&left, &node);
                index >>= 1;
                level += 1;
                nodes.push((NodeId::new(level, index), node));
            }
            frontier.push(node);
        }
        Ok(PendingAppend {
            old_size: self.size,
            new_size,
            root: plan::root_from_nodes(&frontier),
            frontier,
            nodes,
        })
    }

    /// Adopts a [`PendingAppend`] whose nodes the caller has durably stored.
    /// Fails if the tree changed since it was prepared.
    pub fn commit_append(
        &mut self,
        pending: PendingAppend,
    ) -> Result<(u64, Hash), TreeError<S::Error>> {
        if pending.old_size != self.size {
            return Err(TreeError::StaleAppend {
                prepared_at: pending.old_size,
                size: self.size,
            });
        }
        self.size = pending.new_size;
        self.frontier = pending.frontier;
        Ok((self.size, pending.root))
    }

    fn check_size(&self, size: u64) -> Result<(), TreeError<S::Error>> {
        if size > self.size {
            Err(TreeError::SizeBeyondTree {
                requested: size,
                size: self.size,
            })
        } else {
            Ok(())
        }
    }

    /// Root of the tree as it was at `size` leaves (popcount(size) reads).
    pub fn root_at(&self, size: u64) -> Result<Hash, TreeError<S::Error>> {
        self.check_size(size)?;
        if size == self.size {
            return Ok(self.root());
        }
        if size == 0 {
            return Ok(empty_root());
        }
        root_at(&self.store, size)
    }

    /// Hash of leaf `index` (one read).
    pub fn leaf_hash(&self, index: u64) -> Result<Hash, TreeError<S::Error>> {
        if index >= self.size {
            return Err(ProofError::IndexBeyondSize {
                index,
                size: self.size,
            }
            .into());
        }
        let id = NodeId::new(0, index);
        self.store
            .get(id)
            .map_err(TreeError::Store)?
            .ok_or(TreeError::MissingNode(id))
    }

    /// Inclusion proof of leaf `index` in the tree at `size` (O(log n) reads).
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, TreeError<S::Error>> {
        self.check_size(size)?;
        inclusion_proof(&self.store, index, size)
    }

    /// Consistency proof between the tree at `size1` and at `size2` (O(log n) reads).
    pub fn consistency_proof(
        &self,
        size1: u64,
        size2: u64,
    ) -> Result<Vec<Hash>, TreeError<S::Error>> {
        self.check_size(size2)?;
        consistency_proof(&self.store, size1, size2)
    }

    /// Bytes of tlog-tile (`level`, `index`) of the current tree; see
    /// [`tiles::read_tile`].
    pub fn tile(
        &self,
        level: u8,
        index: u64,
        width: Option<u16>,
    ) -> Result<Vec<u8>, TreeError<S::Error>> {
        tiles::read_tile(&self.store, self.size, level, index, width)
    }
}
