//! Reading the stored tree for proofs and tlog-tiles.
//!
//! A proof at 10 million leaves needs about 24 stored nodes. The reader
//! splits the tree at level [`CACHED_FROM_LEVEL`] (8, one tile height):
//!
//! - **Upper levels** (8 and above) are kept in memory, one dense prefix per
//!   level, filled from the database by one range read the first time an
//!   index past the prefix is needed. Stored nodes never change (only
//!   complete subtrees are stored), so the cache never goes stale; it costs
//!   32 bytes per 128 leaves (2.5 MB at 10 million leaves).
//! - **Lower levels** (0–7): the few nodes a proof needs there (at most 8
//!   for an inclusion proof, about 16 for a consistency proof) are read in
//!   one statement that answers with one row.
//!
//! The same reader serves the tlog-tiles hash tiles (a level-0 tile is one
//! range read; higher tiles come from the cache).

use std::sync::{Arc, RwLock};

use samlet_merkle::{empty_root, plan, Hash, NodeId};
use samlet_store::Store;

use super::log::LogError;

/// Levels at and above this are cached in memory.
pub const CACHED_FROM_LEVEL: u8 = 8;
/// Most nodes cached per level (128 MB at level 8, i.e. 1 billion leaves);
/// beyond that nodes are read from the database each time.
const MAX_CACHED_PER_LEVEL: u64 = 1 << 22;

/// Reads tree nodes through the upper-level cache.
pub struct NodeReader {
    store: Arc<dyn Store>,
    /// `upper[l - CACHED_FROM_LEVEL]` is a dense prefix of level `l`.
    upper: RwLock<Vec<Vec<Hash>>>,
}

impl NodeReader {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            upper: RwLock::new(Vec::new()),
        }
    }

    /// Nodes `ids`, in order; fails if the store lacks one.
    pub async fn nodes(&self, ids: &[NodeId]) -> Result<Vec<Hash>, LogError> {
        let mut out: Vec<Option<Hash>> = vec![None; ids.len()];
        let mut from_db = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if id.level >= CACHED_FROM_LEVEL {
                if let Some(h) = self.cached(*id).await? {
                    out[i] = Some(h);
                    continue;
                }
            }
            from_db.push(i);
        }
        if !from_db.is_empty() {
            let wanted: Vec<NodeId> = from_db.iter().map(|&i| ids[i]).collect();
            let got = self.store.log_nodes(&wanted).await?;
            for (&i, h) in from_db.iter().zip(got) {
                out[i] = h;
            }
        }
        ids.iter()
            .zip(out)
            .map(|(id, h)| h.ok_or(LogError::MissingNode(*id)))
            .collect()
    }

    /// A node of a cached level, filling the level's prefix if needed;
    /// `None` if the level is too wide to cache.
    async fn cached(&self, id: NodeId) -> Result<Option<Hash>, LogError> {
        if id.index >= MAX_CACHED_PER_LEVEL {
            return Ok(None);
        }
        let slot = usize::from(id.level - CACHED_FROM_LEVEL);
        let len = {
            let upper = self.upper.read().map_err(|_| LogError::CachePoisoned)?;
            match upper.get(slot) {
                Some(level) => {
                    if let Some(h) = usize::try_from(id.index).ok().and_then(|i| level.get(i)) {
                        return Ok(Some(*h));
                    }
                    level.len() as u64
                }
                None => 0,
            }
        };
        // One range read of everything stored past the prefix.
        let rows = self
            .store
            .log_node_range(id.level, len, MAX_CACHED_PER_LEVEL)
            .await?;
        let mut upper = self.upper.write().map_err(|_| LogError::CachePoisoned)?;
        if upper.len() <= slot {
            upper.resize_with(slot + 1, Vec::new);
        }
        let level = &mut upper[slot];
        for (idx, h) in rows {
            // Only extend densely: a gap (a missing row) stops the prefix.
            if idx == level.len() as u64 {
                level.push(h);
            } else if idx > level.len() as u64 {
                break;
            }
        }
        Ok(usize::try_from(id.index)
            .ok()
            .and_then(|i| level.get(i))
            .copied())
    }

    /// Root of the stored tree at `size`.
    pub async fn root_at(&self, size: u64) -> Result<Hash, LogError> {
        if size == 0 {
            return Ok(empty_root());
        }
        let nodes = self.nodes(&plan::root_node_ids(size)).await?;
        Ok(plan::root_from_nodes(&nodes))
    }

    pub async fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, LogError> {
        let p = samlet_merkle::inclusion_plan(index, size)?;
        let nodes = self.nodes(p.node_ids()).await?;
        Ok(p.build(&nodes)?)
    }

    pub async fn consistency_proof(&self, from: u64, to: u64) -> Result<Vec<Hash>, LogError> {
        let p = samlet_merkle::consistency_plan(from, to)?;
        let nodes = self.nodes(p.node_ids()).await?;
        Ok(p.build(&nodes)?)
    }

    /// The hashes of tlog-tiles tile (`level`, `index`), `width` of them:
    /// tree level `8·level`, indices `256·index ..`.
    pub async fn tile(&self, level: u8, index: u64, width: u16) -> Result<Vec<u8>, LogError> {
        let ids = samlet_merkle::tiles::tile_node_ids(level, index, width)
            .map_err(|e| LogError::Store(samlet_store::StoreError::Corrupt(e.to_string())))?;
        let hashes = if level == 0 {
            let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
                return Ok(Vec::new());
            };
            let rows = self
                .store
                .log_node_range(0, first.index, last.index + 1)
                .await?;
            if rows.len() != ids.len() {
                let have: std::collections::HashSet<u64> = rows.iter().map(|(i, _)| *i).collect();
                let gap = ids
                    .iter()
                    .find(|id| !have.contains(&id.index))
                    .copied()
                    .unwrap_or(*first);
                return Err(LogError::MissingNode(gap));
            }
            rows.into_iter().map(|(_, h)| h).collect()
        } else {
            self.nodes(&ids).await?
        };
        Ok(hashes.concat())
    }
}
