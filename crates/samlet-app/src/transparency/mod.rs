//! The transparency log: every access to a person's data by anyone but
//! that person is appended to a tamper-evident Merkle log before the data is
//! returned.
//!
//! - [`entry`]: what an entry records and how a leaf commits to it.
//! - [`log`]: the appender (one task batching concurrent appends into one
//!   transaction), proofs, and checkpoint signing.
//! - [`nodes`]: reading the stored tree for proofs and tiles (upper levels
//!   cached in memory, lower levels read as one level-0 tile).
//! - [`governance`]: public records of every power handed out (scope
//!   grants, sharing bases), appended before the power takes effect.
//!
//! The public endpoints are in `samlet-server`; the auditor, which talks
//! only to those endpoints, is `samlet-log-api`.
//!
//! **Architecture Invariant**: nothing returns a person's data to anyone but
//! that person without first awaiting [`log::TransparencyLog::append`],
//! which returns only after the entry's transaction has committed.

pub mod entry;
pub mod governance;
pub mod log;
pub mod nodes;

/// Lower-case hex, for hashes in JSON.
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Parses 64 hex digits into a hash.
pub fn parse_hash(s: &str) -> Option<samlet_merkle::Hash> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn hex_round_trips(bytes in proptest::array::uniform32(any::<u8>())) {
            prop_assert_eq!(super::parse_hash(&super::hex(&bytes)), Some(bytes));
        }
    }

    #[test]
    fn bad_hex_is_refused() {
        assert_eq!(super::parse_hash("zz"), None);
        assert_eq!(super::parse_hash(&"g".repeat(64)), None);
    }
}
