//! C2SP tlog-tiles: serving the log as static 256-hash tiles so that
//! existing Go tooling (sunlight, tessera clients, `tlog` tools) can read it.
//!
//! A tile at level `L`, index `N` holds the hashes of the tree nodes at level
//! `8·L`, indices `256·N .. 256·N + W`. A full tile has W = 256; a partial tile
//! (only at the right edge of the tree) has 1 ≤ W < 256 and a `.p/W` path.

use crate::hash::{Hash, HASH_SIZE};
use crate::store::{NodeId, NodeStore};
use crate::tree::{read_nodes, TreeError};

/// Hashes in a full tile.
pub const TILE_WIDTH: u16 = 256;
/// Tree levels covered by one tile level.
pub const TILE_HEIGHT: u8 = 8;
/// Highest tile level whose hashes fit in a 64-bit tree (8·7 = 56 ≤ 63).
pub const MAX_TILE_LEVEL: u8 = 7;

/// Invalid tile request or malformed entry bundle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TileError {
    /// Tile level above [`MAX_TILE_LEVEL`].
    #[error("tile level {0} is above the maximum {MAX_TILE_LEVEL}")]
    InvalidLevel(u8),
    /// Width outside 1..=256.
    #[error("tile width {0} is outside 1..=256")]
    InvalidWidth(u16),
    /// The tree does not (yet) contain the requested hashes.
    #[error(
        "tile {level}/{index} width {width} is beyond the tree (only {available} hashes available)"
    )]
    BeyondTree {
        /// Tile level.
        level: u8,
        /// Tile index.
        index: u64,
        /// Requested width.
        width: u16,
        /// Hashes of this tile present in the tree.
        available: u16,
    },
    /// The tile index is too large for its nodes to be addressable.
    #[error("tile index {0} is too large")]
    IndexOverflow(u64),
    /// A path that is not a canonical tlog-tiles path.
    #[error("not a canonical tile path: {0:?}")]
    BadPath(String),
    /// An entry longer than the 16-bit length prefix allows.
    #[error("entry of {0} bytes does not fit a 16-bit length prefix")]
    EntryTooLarge(usize),
    /// An entry bundle ends in the middle of an entry.
    #[error("entry bundle truncated at byte {0}")]
    TruncatedBundle(usize),
}

/// Number of hashes tile (`level`, `index`) has in a tree of `tree_size`
/// leaves: 256 when full, 1..=255 for the partial right-edge tile, 0 if the
/// tile does not exist yet.
pub fn tile_width(tree_size: u64, level: u8, index: u64) -> Result<u16, TileError> {
    if level > MAX_TILE_LEVEL {
        return Err(TileError::InvalidLevel(level));
    }
    let nodes_at_level = tree_size >> (u32::from(level) * u32::from(TILE_HEIGHT));
    let start = u128::from(index) * u128::from(TILE_WIDTH);
    let avail = u128::from(nodes_at_level).saturating_sub(start);
    // avail is min'd to 256, so the cast cannot truncate.
    Ok(avail.min(u128::from(TILE_WIDTH)) as u16)
}

/// Addresses of the tree nodes tile (`level`, `index`) of width `width` holds.
pub fn tile_node_ids(level: u8, index: u64, width: u16) -> Result<Vec<NodeId>, TileError> {
    if level > MAX_TILE_LEVEL {
        return Err(TileError::InvalidLevel(level));
    }
    if width == 0 || width > TILE_WIDTH {
        return Err(TileError::InvalidWidth(width));
    }
    let tree_level = level * TILE_HEIGHT;
    let first = index
        .checked_mul(u64::from(TILE_WIDTH))
        .filter(|f| f.checked_add(u64::from(width) - 1).is_some())
        .ok_or(TileError::IndexOverflow(index))?;
    Ok((0..u64::from(width))
        .map(|i| NodeId::new(tree_level, first + i))
        .collect())
}

/// Bytes of tile (`level`, `index`) in the tree of `tree_size` leaves: the
/// concatenated 32-byte hashes. `width` `None` means "as wide as the tree
/// allows" (full, or the partial tile at the edge); `Some(w)` asks for the
/// first `w` hashes, which must all exist. One `get_many` call.
pub fn read_tile<S: NodeStore>(
    store: &S,
    tree_size: u64,
    level: u8,
    index: u64,
    width: Option<u16>,
) -> Result<Vec<u8>, TreeError<S::Error>> {
    let available = tile_width(tree_size, level, index)?;
    let width = width.unwrap_or(available);
    if width == 0 || width > TILE_WIDTH {
        return Err(TileError::InvalidWidth(width).into());
    }
    if width > available {
        return Err(TileError::BeyondTree {
            level,
            index,
            width,
            available,
        }
        .into());
    }
    let ids = tile_node_ids(level, index, width)?;
    let hashes = read_nodes(store, &ids)?;
    Ok(hashes.concat())
}

/// Splits tile bytes back into hashes; `None` if the length is not a
/// multiple of 32 or more than 256 hashes.
pub fn parse_tile(bytes: &[u8]) -> Option<Vec<Hash>> {
    if !bytes.len().is_multiple_of(HASH_SIZE) || bytes.len() > usize::from(TILE_WIDTH) * HASH_SIZE {
        return None;
    }
    bytes
        .chunks_exact(HASH_SIZE)
        .map(|c| Hash::try_from(c).ok())
        .collect()
}

/// Encodes `n` as tlog-tiles path elements: groups of three decimal digits,
/// all but the last prefixed by `x` (1234067 → `x001/x234/067`).
pub fn encode_index(n: u64) -> String {
    let mut groups = vec![format!("{:03}", n % 1000)];
    let mut rest = n / 1000;
    while rest > 0 {
        groups.push(format!("x{:03}", rest % 1000));
        rest /= 1000;
    }
    groups.reverse();
    groups.join("/")
}

fn partial_suffix(width: Option<u16>) -> Result<String, TileError> {
    match width {
        None | Some(TILE_WIDTH) => Ok(String::new()),
        Some(w) if w == 0 || w > TILE_WIDTH => Err(TileError::InvalidWidth(w)),
        Some(w) => Ok(format!(".p/{w}")),
    }
}

/// Path of a hash tile: `tile/<L>/<N>[.p/<W>]`; `None` or 256 means full.
pub fn tile_path(level: u8, index: u64, width: Option<u16>) -> Result<String, TileError> {
    if level > MAX_TILE_LEVEL {
        return Err(TileError::InvalidLevel(level));
    }
    Ok(format!(
        "tile/{level}/{}{}",
        encode_index(index),
        partial_suffix(width)?
    ))
}

/// Path of an entry bundle: `tile/entries/<N>[.p/<W>]`.
pub fn entries_path(index: u64, width: Option<u16>) -> Result<String, TileError> {
    Ok(format!(
        "tile/entries/{}{}",
        encode_index(index),
        partial_suffix(width)?
    ))
}

/// A parsed tlog-tiles path, e.g. from an HTTP request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TilePath {
    /// `tile/<L>/<N>[.p/<W>]`: a tile of hashes.
    Hashes {
        /// Tile level.
        level: u8,
        /// Tile index.
        index: u64,
        /// Width for a partial tile; `None` for a full one.
        width: Option<u16>,
    },
    /// `tile/entries/<N>[.p/<W>]`: an entry bundle.
    Entries {
        /// Bundle index.
        index: u64,
        /// Width for a partial bundle; `None` for a full one.
        width: Option<u16>,
    },
}

/// Canonical decimal: digits only, no leading zero except "0" itself.
fn parse_canonical(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || (s.len() > 1 && s.starts_with('0'))
    {
        return None;
    }
    s.parse().ok()
}

/// Decodes `x001/x234/067`-style groups; rejects non-canonical forms (a
/// leading `x000` group) so each tile has exactly one path.
fn decode_index(groups: &[&str]) -> Option<u64> {
    let (last, init) = groups.split_last()?;
    if init.first() == Some(&"x000") {
        return None;
    }
    let mut n: u64 = 0;
    for g in init {
        let digits = g.strip_prefix('x')?;
        n = n.checked_mul(1000)?.checked_add(three_digits(digits)?)?;
    }
    n.checked_mul(1000)?.checked_add(three_digits(last)?)
}

fn three_digits(s: &str) -> Option<u64> {
    if s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Parses a canonical tile or entry-bundle path (the inverse of
/// [`tile_path`] and [`entries_path`]).
pub fn parse_tile_path(path: &str) -> Result<TilePath, TileError> {
    let bad = || TileError::BadPath(path.to_string());
    let rest = path.strip_prefix("tile/").ok_or_else(bad)?;
    let mut parts: Vec<&str> = rest.split('/').collect();
    if parts.len() < 2 {
        return Err(bad());
    }
    let kind = parts.remove(0);
    let mut width = None;
    let n = parts.len();
    if n >= 2 {
        if let Some(stripped) = parts[n - 2].strip_suffix(".p") {
            let w = parse_canonical(parts[n - 1])
                .and_then(|w| u16::try_from(w).ok())
                .filter(|w| (1..TILE_WIDTH).contains(w))
                .ok_or_else(bad)?;
            width = Some(w);
            parts[n - 2] = stripped;
            parts.truncate(n - 1);
        }
    }
    let index = decode_index(&parts).ok_or_else(bad)?;
    finish(kind, index, width, path)
}

fn finish(kind: &str, index: u64, width: Option<u16>, path: &str) -> Result<TilePath, TileError> {
    if kind == "entries" {
        return Ok(TilePath::Entries { index, width });
    }
    let level = parse_canonical(kind)
        .and_then(|l| u8::try_from(l).ok())
        .filter(|l| *l <= MAX_TILE_LEVEL)
        .ok_or_else(|| TileError::BadPath(path.to_string()))?;
    Ok(TilePath::Hashes {
        level,
        index,
        width,
    })
}

/// Entry bundle body: each entry prefixed by its big-endian 16-bit length.
pub fn encode_entry_bundle<D: AsRef<[u8]>>(entries: &[D]) -> Result<Vec<u8>, TileError> {
    let mut out = Vec::with_capacity(entries.iter().map(|e| e.as_ref().len() + 2).sum());
    for e in entries {
        let e = e.as_ref();
        let len = u16::try_from(e.len()).map_err(|_| TileError::EntryTooLarge(e.len()))?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(e);
    }
    Ok(out)
}

/// Splits an entry bundle into its entries.
pub fn decode_entry_bundle(bytes: &[u8]) -> Result<Vec<Vec<u8>>, TileError> {
    let mut entries = Vec::new();
    let mut pos = 0usize;
    while pos < bytes.len() {
        let Some(prefix) = bytes.get(pos..pos + 2) else {
            return Err(TileError::TruncatedBundle(pos));
        };
        let len = usize::from(u16::from_be_bytes([prefix[0], prefix[1]]));
        let Some(entry) = bytes.get(pos + 2..pos + 2 + len) else {
            return Err(TileError::TruncatedBundle(pos));
        };
        entries.push(entry.to_vec());
        pos += 2 + len;
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(tile_path(0, 0, None).unwrap(), "tile/0/000");
        assert_eq!(
            tile_path(4, 1_234_067, Some(1)).unwrap(),
            "tile/4/x001/x234/067.p/1"
        );
        assert_eq!(
            tile_path(4, 1_234_067, Some(256)).unwrap(),
            "tile/4/x001/x234/067"
        );
        assert_eq!(tile_path(1, 1000, None).unwrap(), "tile/1/x001/000");
        assert_eq!(entries_path(5, Some(17)).unwrap(), "tile/entries/005.p/17");
        assert_eq!(tile_path(8, 0, None), Err(TileError::InvalidLevel(8)));
        assert_eq!(tile_path(0, 0, Some(0)), Err(TileError::InvalidWidth(0)));
        assert_eq!(encode_index(u64::MAX), "x018/x446/x744/x073/x709/x551/615");
    }

    #[test]
    fn paths_parse_back() {
        for (level, index, width) in [
            (0u8, 0u64, None),
            (4, 1_234_067, Some(1)),
            (7, u64::MAX, Some(255)),
            (1, 1000, None),
        ] {
            let p = tile_path(level, index, width).unwrap();
            assert_eq!(
                parse_tile_path(&p).unwrap(),
                TilePath::Hashes {
                    level,
                    index,
                    width
                },
                "{p}"
            );
        }
        assert_eq!(
            parse_tile_path("tile/entries/x001/002.p/9").unwrap(),
            TilePath::Entries {
                index: 1002,
                width: Some(9)
            }
        );
        for bad in [
            "tile/0/x000/001",
            "tile/0/1",
            "tile/0/0001",
            "tile/00/001",
            "tile/8/001",
            "tile/0/001.p/0",
            "tile/0/001.p/256",
            "tile/0/001.p/07",
            "tile/0/001/x002",
            "tile/0/x018/x446/x744/x073/x709/x551/616",
            "tile/0",
            "tile/0/",
            "tiles/0/000",
            "tile/entries/001.p",
        ] {
            assert!(parse_tile_path(bad).is_err(), "accepted {bad}");
        }
    }

    #[test]
    fn widths() {
        assert_eq!(tile_width(0, 0, 0).unwrap(), 0);
        assert_eq!(tile_width(300, 0, 0).unwrap(), 256);
        assert_eq!(tile_width(300, 0, 1).unwrap(), 44);
        assert_eq!(tile_width(300, 0, 2).unwrap(), 0);
        assert_eq!(tile_width(300, 1, 0).unwrap(), 1);
        assert_eq!(tile_width(u64::MAX, 7, 0).unwrap(), 255);
    }

    /// The examples of the C2SP tlog-tiles spec (c2sp.org/tlog-tiles).
    #[test]
    fn the_spec_examples() {
        // "index 1234067 will be encoded as x001/x234/067"
        assert_eq!(encode_index(1_234_067), "x001/x234/067");
        // "a tree of size 70,000 will be represented by 273 full level 0
        // tiles, one partial level 0 tile of width 112, one full level 1
        // tile, one partial level 1 tile of width 17, and one partial level
        // 2 tile of width 1."
        assert!((0..273).all(|n| tile_width(70_000, 0, n).unwrap() == 256));
        assert_eq!(tile_width(70_000, 0, 273).unwrap(), 112);
        assert_eq!(tile_width(70_000, 0, 274).unwrap(), 0);
        assert_eq!(tile_width(70_000, 1, 0).unwrap(), 256);
        assert_eq!(tile_width(70_000, 1, 1).unwrap(), 17);
        assert_eq!(tile_width(70_000, 2, 0).unwrap(), 1);
        assert_eq!(tile_width(70_000, 3, 0).unwrap(), 0);
        // "a tree of size 256 will be represented by a full level 0 tile and
        // a partial level 1 tile of width 1."
        assert_eq!(tile_width(256, 0, 0).unwrap(), 256);
        assert_eq!(tile_width(256, 0, 1).unwrap(), 0);
        assert_eq!(tile_width(256, 1, 0).unwrap(), 1);
        assert_eq!(tile_path(1, 1, Some(17)).unwrap(), "tile/1/001.p/17");
        assert_eq!(
            entries_path(273, Some(112)).unwrap(),
            "tile/entries/273.p/112"
        );
    }

    #[test]
    fn bundles_round_trip() {
        let entries: Vec<Vec<u8>> = vec![b"".to_vec(), b"abc".to_vec(), vec![7; 300]];
        let b = encode_entry_bundle(&entries).unwrap();
        assert_eq!(&b[..2], &[0, 0]);
        assert_eq!(&b[2..4], &[0, 3]);
        assert_eq!(decode_entry_bundle(&b).unwrap(), entries);
        assert_eq!(
            decode_entry_bundle(&b[..b.len() - 1]),
            Err(TileError::TruncatedBundle(7))
        );
        assert_eq!(
            encode_entry_bundle(&[vec![0u8; 70_000]]),
            Err(TileError::EntryTooLarge(70_000))
        );
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(500))]

            /// Whatever a client puts after `/log/tile/`, parsing never panics.
            #[test]
            fn any_tile_path_parses_or_is_refused(
                path in prop_oneof![
                    ".{0,40}",
                    "tile/[0-9a-z.x/p]{0,40}",
                    "tile/(entries|[0-9]{1,3})(/x[0-9]{3}){0,8}/[0-9]{3}(\\.p/[0-9]{1,5})?",
                ]
            ) {
                if let Ok(parsed) = parse_tile_path(&path) {
                    // A path that parses is the one canonical path of its tile.
                    let again = match parsed {
                        TilePath::Hashes { level, index, width } => tile_path(level, index, width),
                        TilePath::Entries { index, width } => entries_path(index, width),
                    };
                    prop_assert_eq!(again.ok(), Some(path.clone()));
                }
            }

            /// Every tile's path parses back to the same tile.
            #[test]
            fn valid_tile_paths_round_trip(
                level in 0u8..=MAX_TILE_LEVEL,
                index in any::<u64>(),
                width in prop::option::of(1u16..TILE_WIDTH),
                entries in any::<bool>(),
            ) {
                let (path, want) = if entries {
                    (entries_path(index, width), TilePath::Entries { index, width })
                } else {
                    (tile_path(level, index, width), TilePath::Hashes { level, index, width })
                };
                let path = path.unwrap_or_default();
                prop_assert_eq!(parse_tile_path(&path).ok(), Some(want), "{}", path);
                let _ = tile_width(u64::MAX, level, index);
            }
        }
    }
}
