//! Storage of complete-subtree hashes, addressed by (level, index).

use crate::hash::Hash;
use std::fmt;

/// Address of a complete (perfect) subtree: the node at `level` (0 = leaves)
/// and horizontal `index`, covering leaves `[index << level, (index + 1) << level)`.
///
/// Only complete subtrees are ever stored, so a node's hash never changes once
/// written: that immutability is what makes the store append-only and cacheable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    /// Height above the leaves; 0 for leaf hashes.
    pub level: u8,
    /// Position within the level, counted from the left.
    pub index: u64,
}

impl NodeId {
    /// Creates a node address.
    pub const fn new(level: u8, index: u64) -> Self {
        Self { level, index }
    }

    /// First leaf index covered by this node.
    pub fn begin(&self) -> u128 {
        (self.index as u128) << self.level
    }

    /// One past the last leaf index covered by this node.
    pub fn end(&self) -> u128 {
        (self.index as u128 + 1) << self.level
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.level, self.index)
    }
}

/// Backend holding the hashes of complete subtrees.
///
/// Implementations are expected to be append-only: a node, once put, is only
/// ever re-put with the same value (retrying a failed batch may rewrite it).
/// Methods return `Result` because the production store is a database.
pub trait NodeStore {
    /// Error reported by the backend (I/O, SQL, ...).
    type Error: std::error::Error + Send + Sync + 'static;

    /// Reads one node; `Ok(None)` if it has not been written.
    fn get(&self, id: NodeId) -> Result<Option<Hash>, Self::Error>;

    /// Reads several nodes at once, results in the order of `ids`.
    ///
    /// Override this to fetch all of a proof's nodes in a single query; the
    /// default just loops over [`NodeStore::get`].
    fn get_many(&self, ids: &[NodeId]) -> Result<Vec<Option<Hash>>, Self::Error> {
        ids.iter().map(|id| self.get(*id)).collect()
    }

    /// Writes one node.
    fn put(&mut self, id: NodeId, hash: Hash) -> Result<(), Self::Error>;

    /// Writes several nodes; override to do it in one transaction.
    ///
    /// Nodes are given level by level in the order they were produced, so a
    /// backend that requires dense levels sees every index before the next.
    fn put_many(&mut self, nodes: &[(NodeId, Hash)]) -> Result<(), Self::Error> {
        for (id, hash) in nodes {
            self.put(*id, *hash)?;
        }
        Ok(())
    }
}

/// Error of [`MemoryStore`]: writes must be dense within each level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemoryStoreError {
    /// A write skipped indices, which would leave a hole in a level.
    #[error("node {id} written past the end of level {} (length {len})", id.level)]
    Gap {
        /// The node that was written.
        id: NodeId,
        /// Current length of its level.
        len: u64,
    },
}

/// In-memory [`NodeStore`]: one `Vec<Hash>` per level.
///
/// Memory use is about 2 × 32 bytes per leaf (640 MB for 10 million leaves).
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    levels: Vec<Vec<Hash>>,
}

impl MemoryStore {
    /// Creates an empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Creates an empty store with room for `leaves` leaves, so building a
    /// large tree does not spend its time re-allocating.
    pub fn with_capacity(leaves: u64) -> Self {
        let mut levels = Vec::new();
        let mut n = leaves;
        while n > 0 {
            levels.push(Vec::with_capacity(usize::try_from(n).unwrap_or(0)));
            n >>= 1;
        }
        Self { levels }
    }

    /// Number of nodes stored at `level`.
    pub fn level_len(&self, level: u8) -> u64 {
        self.levels
            .get(usize::from(level))
            .map_or(0, |l| l.len() as u64)
    }

    /// Drops every node that is not a complete subtree of a tree of `size`
    /// leaves, e.g. to roll back writes of a failed batch.
    pub fn truncate(&mut self, size: u64) {
        for (level, nodes) in self.levels.iter_mut().enumerate() {
            let keep = if level < 64 { size >> level } else { 0 };
            nodes.truncate(usize::try_from(keep).unwrap_or(usize::MAX));
        }
    }
}

impl NodeStore for MemoryStore {
    type Error = MemoryStoreError;

    fn get(&self, id: NodeId) -> Result<Option<Hash>, Self::Error> {
        let hash = self
            .levels
            .get(usize::from(id.level))
            .and_then(|l| usize::try_from(id.index).ok().and_then(|i| l.get(i)))
            .copied();
        Ok(hash)
    }

    fn put(&mut self, id: NodeId, hash: Hash) -> Result<(), Self::Error> {
        let level = usize::from(id.level);
        if self.levels.len() <= level {
            self.levels.resize_with(level + 1, Vec::new);
        }
        let nodes = &mut self.levels[level];
        let len = nodes.len() as u64;
        if id.index < len {
            // Re-writing a node (e.g. retry after a failed batch).
            nodes[id.index as usize] = hash;
            Ok(())
        } else if id.index == len {
            nodes.push(hash);
            Ok(())
        } else {
            Err(MemoryStoreError::Gap { id, len })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_writes_only() {
        let mut s = MemoryStore::new();
        s.put(NodeId::new(0, 0), [1; 32]).unwrap();
        s.put(NodeId::new(0, 1), [2; 32]).unwrap();
        s.put(NodeId::new(0, 0), [3; 32]).unwrap();
        assert_eq!(s.get(NodeId::new(0, 0)).unwrap(), Some([3; 32]));
        assert_eq!(s.get(NodeId::new(5, 0)).unwrap(), None);
        assert!(matches!(
            s.put(NodeId::new(0, 5), [0; 32]),
            Err(MemoryStoreError::Gap { len: 2, .. })
        ));
        s.truncate(1);
        assert_eq!(s.level_len(0), 1);
    }
}
