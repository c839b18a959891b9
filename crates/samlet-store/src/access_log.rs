//! Storage of the transparency log: every access to a person's data.
//!
//! The log is an RFC 9162 Merkle tree whose complete-subtree hashes live in
//! `log_nodes` (see `samlet-merkle`). A leaf's data is a salted commitment
//! `SHA-256(salt || body)` to the full entry; the entry itself (`body`, JSON)
//! is stored beside the tree in `log_entries`, indexed by person, so the
//! public tree carries no personal data in the clear.
//!
//! **Invariants**
//! - [`AccessLogStore::log_append`] writes the entries, the tree nodes and the
//!   new size in one transaction, after checking (and locking) the stored
//!   size: two writers can never both extend the same tree head.
//! - Nodes and leaves are never updated or deleted by this interface.
//! - Entry details are deleted only by [`AccessLogStore::log_expire`], which
//!   appends a retention record to the log (a leaf of its own saying "every
//!   entry below index K has expired") and leaves a tombstone for each entry,
//!   all in one transaction. Details missing without a tombstone, or a
//!   tombstone at or above the largest K, mean someone edited the database,
//!   and are reported by the server and by `samlet log verify`.
//! - Every leaf's data (what it hashes) is kept in `log_leaf_data`, also
//!   after retention, so the log can be served as tlog-tiles entry bundles.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use samlet_merkle::{Hash, NodeId};

use crate::Result;

/// One entry's stored details, as the appender writes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLogEntry {
    /// Leaf index in the tree.
    pub idx: u64,
    /// The person whose data was accessed (the citizen's index key).
    pub subject: String,
    /// The accessing agency, for filtering.
    pub agency_org: String,
    pub at: DateTime<Utc>,
    /// Random per entry, so a leaf cannot be brute-forced from guessable details.
    pub salt: Vec<u8>,
    /// The canonical JSON of the entry; the leaf commits to `salt || body`.
    pub body: String,
}

/// A batch append: everything one transaction writes.
#[derive(Debug, Clone, Default)]
pub struct LogAppend {
    /// The tree size the batch was prepared against; the append fails with
    /// [`crate::StoreError::StaleLogHead`] if the stored size differs.
    pub old_size: u64,
    pub new_size: u64,
    pub entries: Vec<NewLogEntry>,
    /// Leaf hashes and completed subtrees, from `MerkleTree::prepare_append`.
    pub nodes: Vec<(NodeId, Hash)>,
    /// What each new leaf hashes, in order from `old_size` (may be empty,
    /// e.g. in benchmarks; then entry bundles cannot be served).
    pub leaf_data: Vec<Vec<u8>>,
}

/// What is stored beside a leaf.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeafDetails {
    Present {
        salt: Vec<u8>,
        body: String,
    },
    /// Deleted by the retention process.
    Tombstone,
    /// The leaf is a retention record: public, its data is the record.
    Retention,
    /// The leaf is a governance record (a scope grant or revocation, a
    /// sharing basis): public, its data is the record.
    Governance,
    /// Gone without a tombstone: the database was edited.
    Missing,
}

/// A leaf hash with the state of its details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafRecord {
    pub idx: u64,
    pub leaf_hash: Hash,
    /// What the leaf hashes, when stored (leaves from before migration 0006
    /// have none).
    pub data: Option<Vec<u8>>,
    pub details: LeafDetails,
}

/// Details of leaves `start..end`, counted (for the incremental auditor).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DetailsCount {
    /// Entries whose details are stored.
    pub present: u64,
    pub tombstones: u64,
}

/// One of a person's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLogEntry {
    pub idx: u64,
    pub salt: Vec<u8>,
    pub body: String,
}

/// Which of a person's entries to list, newest first.
#[derive(Debug, Clone, Default)]
pub struct AccessLogFilter {
    pub agency_org: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
    pub offset: i64,
    pub limit: i64,
}

/// A signed checkpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCheckpoint {
    pub size: u64,
    pub root: Hash,
    /// The complete signed note.
    pub signed: String,
}

#[async_trait]
pub trait AccessLogStore: Send + Sync {
    /// The committed tree size.
    async fn log_size(&self) -> Result<u64>;
    /// Append a batch durably (see the module invariants).
    async fn log_append(&self, batch: &LogAppend) -> Result<()>;
    /// Append a batch of public governance records (no entries; every new
    /// leaf is marked as a governance record), in one transaction.
    async fn log_append_governance(&self, batch: &LogAppend) -> Result<()>;
    /// Read tree nodes in one query, results in the order of `ids`.
    async fn log_nodes(&self, ids: &[NodeId]) -> Result<Vec<Option<Hash>>>;
    /// Leaves with index in `start..end` that exist, in order; a missing
    /// leaf row shows as a gap.
    async fn log_leaves(&self, start: u64, end: u64) -> Result<Vec<LeafRecord>>;
    /// A person's entries, newest first.
    async fn log_entries_for(
        &self,
        subject: &str,
        filter: &AccessLogFilter,
    ) -> Result<Vec<StoredLogEntry>>;
    /// Read one level's stored nodes with index in `start..end`, in order
    /// (one range query; a tlog tile or the leaves under one).
    async fn log_node_range(&self, level: u8, start: u64, end: u64) -> Result<Vec<(u64, Hash)>>;
    /// How many access entries have lost their details without a tombstone,
    /// plus tombstones no retention record covers (at or above the largest
    /// `expire_before`): both mean the database was edited.
    async fn log_missing_details(&self) -> Result<u64>;
    /// Details of leaves `start..end`, counted.
    async fn log_details_count(&self, start: u64, end: u64) -> Result<DetailsCount>;
    /// The smallest index of an entry with stored details at or after `at`.
    async fn log_first_entry_since(&self, at: DateTime<Utc>) -> Result<Option<u64>>;
    /// The largest `expire_before` of the retention records (0 if none).
    async fn log_expired_before(&self) -> Result<u64>;
    /// Retention: append `batch` (one leaf: the retention record, no
    /// entries), record it as a retention leaf, and in the same transaction
    /// delete the details of every entry below `expire_before`, leaving a
    /// tombstone that names the record. Returns how many were expired.
    async fn log_expire(
        &self,
        batch: &LogAppend,
        expire_before: u64,
        now: DateTime<Utc>,
    ) -> Result<u64>;
    /// The largest signed checkpoint.
    async fn log_latest_checkpoint(&self) -> Result<Option<StoredCheckpoint>>;
    /// Store a signed checkpoint; false if one of that size already exists.
    async fn log_save_checkpoint(&self, cp: &StoredCheckpoint, now: DateTime<Utc>) -> Result<bool>;
}
