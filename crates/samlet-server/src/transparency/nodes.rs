//! Reading the stored tree for proofs and tiles, the way tlog-tiles cuts it.
//!
//! A proof at 10 million leaves needs about 24 stored nodes. Reading them as
//! 24 point lookups cost over a millisecond at p99, so the reader splits the
//! tree at level [`CACHED_FROM_LEVEL`] (8, one tile height):
//!
//! - **Upper levels** (8 and above) are kept in memory, one dense prefix per
//!   level, filled from the database by one range read the first time an
//!   index past the prefix is needed. Stored nodes never change (only
//!   complete subtrees are stored), so the cache never goes stale; it costs
//!   32 bytes per 128 leaves (2.5 MB at 10 million leaves).
//! - **Lower levels** (0–7) are read as the level-0 tile holding them: one
//!   range read of at most 256 leaf hashes, from which the nodes up to level
//!   7 are hashed in memory (at most 255 hashes). An inclusion proof reads
//!   one tile; a consistency proof at most two.
//!
//! The same reader serves the tlog-tiles hash tiles.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use samlet_merkle::{empty_root, node_hash, plan, Hash, NodeId};
use samlet_store::Store;

use super::log::LogError;

/// Levels at and above this are cached in memory.
pub const CACHED_FROM_LEVEL: u8 = 8;
/// Leaves in a level-0 tile.
const TILE: u64 = 256;
/// Most nodes cached per level (128 MB at level 8, i.e. 1 billion leaves);
/// beyond that nodes are read from the database each time.
const MAX_CACHED_PER_LEVEL: u64 = 1 << 22;

/// Reads tree nodes through the upper-level cache and level-0 tiles.
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
        // Lower nodes, grouped by the level-0 tile they lie in; for each
        // tile the number of leaves needed from its start.
        let mut tiles: BTreeMap<u64, u64> = BTreeMap::new();
        let mut uncached = Vec::new();
        for (i, id) in ids.iter().enumerate() {
            if id.level < CACHED_FROM_LEVEL {
                let begin = u64::try_from(id.begin()).map_err(|_| LogError::MissingNode(*id))?;
                let end = u64::try_from(id.end()).map_err(|_| LogError::MissingNode(*id))?;
                let tile = begin / TILE;
                let need = end - tile * TILE;
                let e = tiles.entry(tile).or_insert(0);
                *e = (*e).max(need);
            } else if let Some(h) = self.cached(*id).await? {
                out[i] = Some(h);
            } else {
                uncached.push(i);
            }
        }
        if !uncached.is_empty() {
            let uids: Vec<NodeId> = uncached.iter().map(|&i| ids[i]).collect();
            let got = self.store.log_nodes(&uids).await?;
            for (&i, h) in uncached.iter().zip(got) {
                out[i] = h;
            }
        }
        for (tile, need) in tiles {
            let start = tile * TILE;
            let rows = self.store.log_node_range(0, start, start + need).await?;
            let layers = tile_layers(start, &rows);
            for (i, id) in ids.iter().enumerate() {
                if id.level < CACHED_FROM_LEVEL && id.index >> (8 - id.level) == tile {
                    let pos = id.index - (tile << (8 - id.level));
                    out[i] = layers
                        .get(usize::from(id.level))
                        .and_then(|l| usize::try_from(pos).ok().and_then(|p| l.get(p)))
                        .copied();
                }
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

/// Levels 0..=7 of the subtree over the leaves `rows` (dense from `start`,
/// a multiple of 256): `layers[l][i]` is node (l, start/2^l + i). Stops at
/// the first missing leaf.
fn tile_layers(start: u64, rows: &[(u64, Hash)]) -> Vec<Vec<Hash>> {
    let mut leaves = Vec::with_capacity(rows.len());
    for (i, (idx, h)) in rows.iter().enumerate() {
        if *idx != start + i as u64 {
            break;
        }
        leaves.push(*h);
    }
    let mut layers = vec![leaves];
    for _ in 1..CACHED_FROM_LEVEL {
        let Some(below) = layers.last() else { break };
        let next: Vec<Hash> = below
            .chunks_exact(2)
            .map(|p| node_hash(&p[0], &p[1]))
            .collect();
        layers.push(next);
    }
    layers
}

#[cfg(test)]
mod tests {
    use super::*;
    use samlet_merkle::{leaf_hash, MemoryStore, MerkleTree, NodeStore};

    #[test]
    fn tile_layers_match_the_stored_tree() {
        let mut tree = MerkleTree::new(MemoryStore::new());
        let leaves: Vec<Vec<u8>> = (0..600u32).map(|i| i.to_be_bytes().to_vec()).collect();
        tree.append_batch(&leaves).unwrap();
        let rows: Vec<(u64, Hash)> = (256..512u64)
            .map(|i| (i, leaf_hash(&(i as u32).to_be_bytes())))
            .collect();
        let layers = tile_layers(256, &rows);
        for level in 0..8u8 {
            let width = 256u64 >> level;
            assert_eq!(layers[usize::from(level)].len() as u64, width);
            for i in 0..width {
                let id = NodeId::new(level, (256 >> level) + i);
                assert_eq!(
                    Some(layers[usize::from(level)][i as usize]),
                    tree.store().get(id).unwrap(),
                    "{id}"
                );
            }
        }
        // A gap stops the layers where it starts.
        let mut gappy = rows.clone();
        gappy.remove(3);
        assert_eq!(tile_layers(256, &gappy)[0].len(), 3);
    }
}
