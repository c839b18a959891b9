//! An access-log entry and its leaf commitment.

use chrono::{DateTime, Utc};
use samlet_merkle::{leaf_hash, Hash};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Who accessed the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accessor {
    /// The agency's organisation number.
    pub org: String,
    /// The agency's name at the time of access.
    pub name: String,
    /// The agency's system that made the request, when it said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// The caseworker role, when the agency said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// One access to a person's data, as the platform recorded it. The stored
/// JSON of this struct is what a leaf commits to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    /// Format version.
    pub v: u8,
    /// The person whose data was accessed (their identity number; never
    /// published: the public log holds only a salted hash of the entry).
    pub subject: String,
    pub accessor: Accessor,
    /// The person a representative acted for, when the accessor is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_behalf_of: Option<String>,
    /// Kinds of data returned, e.g. `cases`, `benefits`.
    pub categories: Vec<String>,
    pub purpose: String,
    /// Legal basis (behandlingsgrunnlag) in the agency's words.
    pub legal_basis: String,
    /// Optional reference, e.g. a law and section or a Lovdata URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis_ref: Option<String>,
    pub at: DateTime<Utc>,
    pub request_id: String,
    /// Another agency's data read with this access, and on what ground: a
    /// registered sharing basis or the person's consent. Absent in entries
    /// of reads of the accessor's own items (and in entries older than
    /// this field, which therefore still parse and verify).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared: Vec<SharedFrom>,
}

/// What ground let an agency read another agency's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SharedUnder {
    /// A sharing basis registered by the operator and accepted by the holder.
    Basis,
    /// The person's consent.
    Consent,
}

/// One category of another agency's data read under a basis or a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SharedFrom {
    pub under: SharedUnder,
    /// The basis id, or the consent ids (space-separated).
    pub id: String,
    /// The agency holding the data (organisation number) and its name at the time.
    pub holder_org: String,
    pub holder_name: String,
    /// `cases`, `deadlines`, `benefits` or `messages`.
    pub category: String,
    /// The purpose registered with the basis or consent.
    pub purpose: String,
    /// The law and section (a basis only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_ref: Option<String>,
}

/// Leaf data: `SHA-256(salt || body)`. The random salt makes the leaf
/// reveal nothing about guessable details (who, when, which agency).
pub fn commitment(salt: &[u8], body: &str) -> Hash {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(body.as_bytes());
    h.finalize().into()
}

/// The RFC 9162 leaf hash of an entry's stored details.
pub fn entry_leaf_hash(salt: &[u8], body: &str) -> Hash {
    leaf_hash(&commitment(salt, body))
}

/// First line of a retention record's leaf data. An access entry's leaf data
/// is a 32-byte commitment, so the two kinds of leaf cannot be confused.
pub const RETENTION_PREFIX: &[u8] = b"samlet-retention/v1\n";

/// A leaf of its own, appended by the retention process: "the details of
/// every access entry below `expire_before` have been deleted". Public: it
/// holds no personal data, and auditors read it from the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRecord {
    /// Every access entry with a smaller index has expired.
    pub expire_before: u64,
    /// Entries older than this were due (the retention period's start).
    pub cutoff: DateTime<Utc>,
    /// When the retention process ran.
    pub at: DateTime<Utc>,
}

impl RetentionRecord {
    /// The leaf data: [`RETENTION_PREFIX`] then the record as JSON.
    pub fn to_leaf_data(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut data = RETENTION_PREFIX.to_vec();
        data.extend_from_slice(&serde_json::to_vec(self)?);
        Ok(data)
    }

    /// Reads leaf data back; `None` if it is not a retention record.
    pub fn parse(data: &[u8]) -> Option<Self> {
        serde_json::from_slice(data.strip_prefix(RETENTION_PREFIX)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any change to the details or the salt changes the leaf.
        #[test]
        fn a_leaf_binds_its_details(salt in proptest::collection::vec(any::<u8>(), 32),
                                    body in ".{0,64}", flip in 0usize..64) {
            let leaf = entry_leaf_hash(&salt, &body);
            let mut other = salt.clone();
            let i = flip % other.len();
            other[i] ^= 1;
            prop_assert_ne!(entry_leaf_hash(&other, &body), leaf);
            let edited = format!("{body}x");
            prop_assert_ne!(entry_leaf_hash(&salt, &edited), leaf);
        }
    }

    #[test]
    fn retention_records_round_trip_and_differ_from_commitments() {
        let r = RetentionRecord {
            expire_before: 42,
            cutoff: DateTime::<Utc>::UNIX_EPOCH,
            at: Utc::now(),
        };
        let data = r.to_leaf_data().unwrap_or_default();
        assert!(data.len() > 32, "never the length of a commitment");
        assert_eq!(RetentionRecord::parse(&data), Some(r));
        assert_eq!(RetentionRecord::parse(&commitment(b"salt", "{}")), None);
    }

    #[test]
    fn entries_round_trip_through_json() {
        let e = AccessEntry {
            v: 1,
            subject: "01018012345".into(),
            accessor: Accessor {
                org: "889640782".into(),
                name: "NAV".into(),
                system: Some("arena".into()),
                role: None,
            },
            on_behalf_of: None,
            categories: vec!["cases".into()],
            purpose: "Behandle søknad om dagpenger".into(),
            legal_basis: "Folketrygdloven § 21-4".into(),
            legal_basis_ref: None,
            at: Utc::now(),
            request_id: "r1".into(),
            shared: Vec::new(),
        };
        let json = serde_json::to_string(&e).unwrap_or_default();
        let back: AccessEntry = serde_json::from_str(&json).unwrap_or_else(|_| e.clone());
        assert_eq!(back, e);
        assert!(!json.contains("role"), "absent fields are left out");
        assert!(
            !json.contains("shared"),
            "a read of own items names no basis"
        );
    }

    #[test]
    fn entries_written_before_the_shared_field_still_parse() {
        let old = r#"{"v":1,"subject":"01018012345","accessor":{"org":"889640782","name":"NAV"},"categories":["cases"],"purpose":"p","legal_basis":"l","at":"2026-01-01T00:00:00Z","request_id":"r"}"#;
        let e: Result<AccessEntry, _> = serde_json::from_str(old);
        assert!(e.is_ok_and(|e| e.shared.is_empty()));
    }
}
