//! RFC 9162 §2.1.1 (RFC 6962 §2.1) hashing with SHA-256.
//!
//! Domain separation (0x00 for leaves, 0x01 for interior nodes) is what stops a
//! leaf from being passed off as an interior node (second-preimage attacks).

use sha2::{Digest, Sha256};

/// Size in bytes of every hash in the log (SHA-256).
pub const HASH_SIZE: usize = 32;

/// A SHA-256 digest: leaf hash, node hash or tree root.
pub type Hash = [u8; HASH_SIZE];

/// Prefix byte for leaf hashes.
pub const LEAF_PREFIX: u8 = 0x00;
/// Prefix byte for interior node hashes.
pub const NODE_PREFIX: u8 = 0x01;

/// Hash of the empty tree: SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// Leaf hash: SHA-256(0x00 || data).
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([LEAF_PREFIX]);
    h.update(data);
    h.finalize().into()
}

/// Interior node hash: SHA-256(0x01 || left || right).
///
/// Takes slices rather than [`Hash`](type@Hash) because proof verification must hash
/// whatever bytes a (possibly malformed) proof contains, exactly as the Go
/// reference does; a wrong length then simply yields a root mismatch.
pub fn node_hash(left: &[u8], right: &[u8]) -> Hash {
    if left.len() == HASH_SIZE && right.len() == HASH_SIZE {
        // Fast path for well-formed hashes: one contiguous 65-byte input.
        let mut buf = [0u8; 1 + 2 * HASH_SIZE];
        buf[0] = NODE_PREFIX;
        buf[1..=HASH_SIZE].copy_from_slice(left);
        buf[1 + HASH_SIZE..].copy_from_slice(right);
        return Sha256::digest(buf).into();
    }
    let mut h = Sha256::new();
    h.update([NODE_PREFIX]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// Merkle Tree Hash of a list of leaf hashes, by the recursive definition of
/// RFC 9162 §2.1.1 (split at the largest power of two smaller than n).
///
/// This is the reference definition, O(n): the tree uses stored subtree
/// hashes instead. It exists so tests (and callers who want an independent
/// check) can compare against the specification directly.
pub fn root_from_leaf_hashes(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = largest_power_of_two_below(n as u64) as usize;
            node_hash(
                &root_from_leaf_hashes(&leaves[..k]),
                &root_from_leaf_hashes(&leaves[k..]),
            )
        }
    }
}

/// Largest power of two strictly smaller than `n` (requires n >= 2).
pub(crate) fn largest_power_of_two_below(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_point() {
        assert_eq!(largest_power_of_two_below(2), 1);
        assert_eq!(largest_power_of_two_below(3), 2);
        assert_eq!(largest_power_of_two_below(4), 2);
        assert_eq!(largest_power_of_two_below(5), 4);
        assert_eq!(largest_power_of_two_below(8), 4);
        assert_eq!(largest_power_of_two_below(9), 8);
        assert_eq!(largest_power_of_two_below(u64::MAX), 1 << 63);
    }

    /// The fast paths must agree with plain streaming SHA-256.
    #[test]
    fn fast_paths_match_streaming() {
        for len in [0usize, 1, 31, 55, 56, 63, 64, 126, 127, 128, 129, 1000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let mut h = Sha256::new();
            h.update([0u8]);
            h.update(&data);
            let want: Hash = h.finalize().into();
            assert_eq!(leaf_hash(&data), want, "len {len}");
        }
        let (l, r) = ([5u8; 32], [6u8; 32]);
        let mut h = Sha256::new();
        h.update([1u8]);
        h.update(l);
        h.update(r);
        let want: Hash = h.finalize().into();
        assert_eq!(node_hash(&l, &r), want);
        assert_ne!(node_hash(&l[..31], &r), want);
    }

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            empty_root()[..4],
            [0xe3, 0xb0, 0xc4, 0x42],
            "SHA-256(\"\") starts e3b0c442"
        );
    }
}
