//! The transparency log's rows and statement helpers; the queries are in
//! `shared/access_log.rs`. The one difference between the backends is how
//! an append reads the tree head (`LOCK_LOG_HEAD`): PostgreSQL locks the
//! row with `FOR UPDATE` so replicas append one at a time; SQLite has one
//! writer connection and needs (and supports) no clause.

use chrono::{DateTime, TimeZone, Utc};
use samlet_merkle::Hash;

use crate::StoreError;

/// Rows per multi-row INSERT, below SQLite's 32766 bound parameters.
pub(crate) const NODE_CHUNK: usize = 4000;
pub(crate) const ENTRY_CHUNK: usize = 2000;

pub(crate) fn to_i64(v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Corrupt(format!("log index {v} out of range")))
}

pub(crate) fn to_u64(v: i64) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("negative log index {v}")))
}

pub(crate) fn to_hash(v: &[u8]) -> Result<Hash, StoreError> {
    v.try_into()
        .map_err(|_| StoreError::Corrupt(format!("stored hash has {} bytes", v.len())))
}

/// Far-away dates for open period bounds, inside PostgreSQL's timestamp range.
pub(crate) fn open_bounds() -> (DateTime<Utc>, DateTime<Utc>) {
    let lo = Utc
        .with_ymd_and_hms(1900, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let hi = Utc
        .with_ymd_and_hms(9999, 12, 31, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    (lo, hi)
}

/// A leaf with whatever details of it are kept.
#[derive(sqlx::FromRow)]
pub(crate) struct LeafRow {
    pub idx: i64,
    pub hash: Vec<u8>,
    pub data: Option<Vec<u8>>,
    pub salt: Option<Vec<u8>>,
    pub body: Option<String>,
    pub tombstone: Option<i64>,
    pub retention: Option<i64>,
    pub governance: Option<i64>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct NodeRow {
    pub idx: i64,
    pub hash: Vec<u8>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct EntryRow {
    pub idx: i64,
    pub salt: Vec<u8>,
    pub body: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CheckpointRow {
    pub size: i64,
    pub root: Vec<u8>,
    pub signed: String,
}

#[derive(sqlx::FromRow)]
pub(crate) struct DetailsCountRow {
    pub present: i64,
    pub tombstones: i64,
}

/// Leaves with no details, and tombstones not covered by a retention record.
#[derive(sqlx::FromRow)]
pub(crate) struct MissingRow {
    pub missing: i64,
    pub uncovered: i64,
}

/// Nodes read per statement by `log_nodes` (a proof needs about 2·log2(n)).
pub(crate) const NODES_PER_QUERY: usize = 256;

/// `SELECT (SELECT hash FROM log_nodes WHERE level = $1 AND idx = $2), …`
/// for `n` nodes: one row, one column per node (NULL if absent).
pub(crate) fn nodes_sql(n: usize) -> String {
    let mut s = String::with_capacity(16 + n * 64);
    s.push_str("SELECT ");
    for i in 0..n {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(&format!(
            "(SELECT hash FROM log_nodes WHERE level = ${} AND idx = ${})",
            2 * i + 1,
            2 * i + 2
        ));
    }
    s
}
