//! The transparency log's public protocol, from the outside: the JSON the
//! `/log/…` endpoints serve, and the auditor that reads only those
//! endpoints (`samlet log verify`). The server serves these types; the
//! auditor parses them, so both sides share one definition.

use serde::{Deserialize, Serialize};

pub mod audit;

/// Most leaves per `/log/leaves` page.
pub const LEAVES_PAGE: u64 = 1000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InclusionProof {
    pub index: u64,
    pub size: u64,
    /// The leaf hash (hex).
    pub leaf_hash: String,
    /// Sibling hashes from the leaf up (hex), RFC 9162 §2.1.3.
    pub proof: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsistencyProof {
    pub from: u64,
    pub to: u64,
    /// RFC 9162 §2.1.4 consistency proof (hex).
    pub proof: Vec<String>,
}

/// One leaf as the public sees it: hashes and whether its details exist.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicLeaf {
    pub index: u64,
    /// The RFC 9162 leaf hash (hex) as stored in the tree.
    pub leaf_hash: String,
    /// What the leaf hashes (hex): the entry's 32-byte salted commitment,
    /// a retention record or a governance record. Absent for leaves from before migration 0006
    /// whose details have expired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// `present`, `tombstone` (expired by retention), `retention` (the leaf
    /// is a retention record; its data says what expired), `governance` (a
    /// public record of a power handed out: a scope grant or revocation, a
    /// sharing basis) or `missing` (gone without a tombstone: tampering).
    pub details: String,
    /// The leaf hash recomputed by the server from the stored details (hex);
    /// differs from `leaf_hash` if the details were edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details_leaf_hash: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeavesPage {
    pub start: u64,
    pub leaves: Vec<PublicLeaf>,
}

/// How many of leaves `start..end` have their details stored and how many
/// were expired (tombstones). Lets an auditor check old entries without
/// re-reading them: every access entry at or above the last retention
/// record's `expire_before` must have details, none below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DetailsCountView {
    pub start: u64,
    pub end: u64,
    pub present: u64,
    pub tombstones: u64,
}
