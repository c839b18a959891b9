//! The server's side of the log: durable batched appends, proofs, and
//! checkpoints that are never inconsistent with each other.
//!
//! **Appends.** One task per process owns the Merkle frontier. Callers send
//! entries over a channel and wait; the task takes everything queued (up to
//! [`MAX_BATCH`]) and writes entries, tree nodes and the new size in one
//! transaction, then answers each caller. Under load, entries that arrive
//! while a transaction commits form the next batch (group commit).
//!
//! **Several replicas (PostgreSQL).** The transaction locks the tree-head
//! row (`SELECT … FOR UPDATE`) and checks that the stored size is the size
//! the batch was prepared at. If another replica appended in between, the
//! store answers `StaleLogHead`; the task reloads the frontier (popcount(size)
//! node reads) and prepares again. So the tree has one writer at a time
//! without a leader election, at the cost of a retry under contention.
//!
//! **Checkpoints.** Signed on demand (when the tree grew since the last one)
//! and periodically. Before signing, the server proves from the stored nodes
//! that the new tree extends the last signed one (a consistency proof
//! checked against both roots); if it does not, it refuses and reports.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use rand::RngCore;
use samlet_merkle::{
    plan, verify_consistency, verify_inclusion, Checkpoint, Hash, MerkleTree, NodeId, NodeStore,
    SignerKey, VerifierKey,
};
use samlet_store::{LogAppend, NewLogEntry, Store, StoreError, StoredCheckpoint, StoredLogEntry};
use tokio::sync::{mpsc, oneshot, Mutex};

use super::entry::{commitment, AccessEntry, RetentionRecord};
use super::nodes::NodeReader;

/// Most entries written in one transaction.
pub const MAX_BATCH: usize = 8192;

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the tree store is missing node {0}")]
    MissingNode(NodeId),
    #[error("invalid proof request: {0}")]
    Proof(#[from] samlet_merkle::ProofError),
    #[error("the stored tree ({size} leaves) is smaller than the last signed checkpoint ({signed}): entries were removed")]
    Shrunk { size: u64, signed: u64 },
    #[error("the stored tree at size {size} is not consistent with the last signed checkpoint (size {signed}): refusing to sign")]
    Inconsistent { size: u64, signed: u64 },
    #[error("checkpoint: {0}")]
    Checkpoint(#[from] samlet_merkle::CheckpointError),
    #[error("could not encode the entry: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("the log appender has stopped")]
    Stopped,
    #[error("the log kept moving under this writer; try again")]
    Contended,
    #[error("the node cache lock was poisoned")]
    CachePoisoned,
}

/// Frontier nodes fetched ahead, so the synchronous [`MerkleTree`] can be
/// reopened from an async database.
#[derive(Default)]
pub(crate) struct Prefetched(HashMap<NodeId, Hash>);

impl NodeStore for Prefetched {
    type Error = Infallible;

    fn get(&self, id: NodeId) -> Result<Option<Hash>, Infallible> {
        Ok(self.0.get(&id).copied())
    }

    fn put(&mut self, id: NodeId, hash: Hash) -> Result<(), Infallible> {
        self.0.insert(id, hash);
        Ok(())
    }
}

struct Job {
    entry: AccessEntry,
    reply: oneshot::Sender<Result<u64, LogError>>,
}

/// Fetches `ids` in one query, failing on any missing node.
pub async fn read_nodes(store: &dyn Store, ids: &[NodeId]) -> Result<Vec<Hash>, LogError> {
    let got = store.log_nodes(ids).await?;
    ids.iter()
        .zip(got)
        .map(|(id, h)| h.ok_or(LogError::MissingNode(*id)))
        .collect()
}

pub(crate) async fn open_tree(store: &dyn Store) -> Result<MerkleTree<Prefetched>, LogError> {
    let size = store.log_size().await?;
    let ids = plan::root_node_ids(size);
    let nodes = read_nodes(store, &ids).await?;
    let pre = Prefetched(ids.into_iter().zip(nodes).collect());
    MerkleTree::open(pre, size).map_err(|e| match e {
        samlet_merkle::TreeError::MissingNode(id) => LogError::MissingNode(id),
        other => LogError::Store(StoreError::Corrupt(other.to_string())),
    })
}

/// The transparency log of one server process.
pub struct TransparencyLog {
    store: Arc<dyn Store>,
    jobs: mpsc::Sender<Job>,
    nodes: NodeReader,
    signer: SignerKey,
    sign_lock: Mutex<()>,
    missing: std::sync::Mutex<Option<(Instant, u64)>>,
}

impl TransparencyLog {
    /// Opens the log on `store` and starts its appender task. The checkpoint
    /// origin is the signer's name.
    pub async fn open(store: Arc<dyn Store>, signer: SignerKey) -> Result<Arc<Self>, LogError> {
        let tree = open_tree(store.as_ref()).await?;
        let (tx, rx) = mpsc::channel(MAX_BATCH * 2);
        tokio::spawn(run_appender(store.clone(), tree, rx));
        Ok(Arc::new(Self {
            nodes: NodeReader::new(store.clone()),
            store,
            jobs: tx,
            signer,
            sign_lock: Mutex::new(()),
            missing: std::sync::Mutex::new(None),
        }))
    }

    pub fn origin(&self) -> &str {
        self.signer.name()
    }

    /// The public key checkpoints verify with, in signed-note `vkey` form.
    pub fn verifier(&self) -> VerifierKey {
        self.signer.verifier()
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Proofs and tiles, through the upper-level cache.
    pub fn nodes(&self) -> &NodeReader {
        &self.nodes
    }

    /// Appends an entry; returns its leaf index once it is durable.
    pub async fn append(&self, entry: AccessEntry) -> Result<u64, LogError> {
        let (reply, rx) = oneshot::channel();
        self.jobs
            .send(Job { entry, reply })
            .await
            .map_err(|_| LogError::Stopped)?;
        let started = Instant::now();
        let r = rx.await.map_err(|_| LogError::Stopped)?;
        metrics::histogram!("samlet_log_append_seconds").record(started.elapsed().as_secs_f64());
        r
    }

    /// The latest signed checkpoint, signing a new one first if the tree grew.
    pub async fn checkpoint(&self) -> Result<StoredCheckpoint, LogError> {
        let latest = self.store.log_latest_checkpoint().await?;
        let size = self.store.log_size().await?;
        match latest {
            Some(cp) if cp.size == size => Ok(cp),
            Some(cp) => match self.sign().await {
                Ok(new) => Ok(new),
                Err(e) => {
                    // Keep serving what was signed: auditors holding it will
                    // find the stored tree no longer matches, and say so.
                    tracing::error!(error = %e, "not signing a new checkpoint");
                    Ok(cp)
                }
            },
            None => self.sign().await,
        }
    }

    /// Signs a checkpoint of the stored tree, after checking that it extends
    /// the last signed checkpoint.
    pub async fn sign(&self) -> Result<StoredCheckpoint, LogError> {
        let _one_signer = self.sign_lock.lock().await;
        let store = self.store.as_ref();
        let size = store.log_size().await?;
        let root = self.nodes.root_at(size).await?;
        if let Some(prev) = store.log_latest_checkpoint().await? {
            if prev.size > size {
                return Err(LogError::Shrunk {
                    size,
                    signed: prev.size,
                });
            }
            if prev.size == size {
                return if prev.root == root {
                    Ok(prev)
                } else {
                    Err(LogError::Inconsistent {
                        size,
                        signed: prev.size,
                    })
                };
            }
            if prev.size > 0 {
                let proof = self.nodes.consistency_proof(prev.size, size).await?;
                verify_consistency(prev.size, size, &proof, &prev.root, &root).map_err(|_| {
                    LogError::Inconsistent {
                        size,
                        signed: prev.size,
                    }
                })?;
            }
        }
        let signed = Checkpoint::new(self.origin(), size, root).sign(&self.signer)?;
        let cp = StoredCheckpoint { size, root, signed };
        if !store.log_save_checkpoint(&cp, Utc::now()).await? {
            // Another replica signed this size first; serve what it stored.
            if let Some(other) = store.log_latest_checkpoint().await? {
                return Ok(other);
            }
        }
        metrics::gauge!("samlet_log_size").set(size as f64);
        Ok(cp)
    }

    /// Whether a person's entry is in the tree of `cp`: its leaf is
    /// recomputed from the stored details and its inclusion proof checked
    /// against the signed root.
    pub async fn verify_entry(&self, e: &StoredLogEntry, cp: &StoredCheckpoint) -> bool {
        if e.idx >= cp.size {
            return false;
        }
        let leaf = super::entry::entry_leaf_hash(&e.salt, &e.body);
        match self.nodes.inclusion_proof(e.idx, cp.size).await {
            Ok(proof) => verify_inclusion(e.idx, cp.size, &leaf, &proof, &cp.root).is_ok(),
            Err(err) => {
                tracing::warn!(error = %err, index = e.idx, "inclusion proof failed");
                false
            }
        }
    }

    /// Leaves whose details are gone without a tombstone (cached a minute:
    /// counting scans the log).
    pub async fn missing_details(&self) -> Result<u64, LogError> {
        if let Ok(guard) = self.missing.lock() {
            if let Some((at, n)) = *guard {
                if at.elapsed() < Duration::from_secs(60) {
                    return Ok(n);
                }
            }
        }
        let n = self.store.log_missing_details().await?;
        if let Ok(mut guard) = self.missing.lock() {
            *guard = Some((Instant::now(), n));
        }
        Ok(n)
    }
}

async fn run_appender(
    store: Arc<dyn Store>,
    mut tree: MerkleTree<Prefetched>,
    mut rx: mpsc::Receiver<Job>,
) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        let result = append_batch(store.as_ref(), &mut tree, &jobs).await;
        match result {
            Ok(first_idx) => {
                metrics::counter!("samlet_log_appends_total").increment(jobs.len() as u64);
                for (i, job) in jobs.into_iter().enumerate() {
                    let _ = job.reply.send(Ok(first_idx + i as u64));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, entries = jobs.len(), "log append failed");
                let msg = e.to_string();
                for job in jobs {
                    let _ = job
                        .reply
                        .send(Err(LogError::Store(StoreError::Corrupt(msg.clone()))));
                }
            }
        }
    }
}

/// Writes one batch; returns the first index. Retries on a moved tree head.
async fn append_batch(
    store: &dyn Store,
    tree: &mut MerkleTree<Prefetched>,
    jobs: &[Job],
) -> Result<u64, LogError> {
    // Salts and bodies are fixed once, so a retry commits to the same details.
    let mut rows = Vec::with_capacity(jobs.len());
    let mut hashes = Vec::with_capacity(jobs.len());
    let mut data = Vec::with_capacity(jobs.len());
    for job in jobs {
        let mut salt = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut salt);
        let body = serde_json::to_string(&job.entry)?;
        let c = commitment(&salt, &body);
        hashes.push(samlet_merkle::leaf_hash(&c));
        data.push(c.to_vec());
        rows.push((salt, body));
    }
    for _attempt in 0..5 {
        let first = tree.size();
        let pending = tree
            .prepare_append(&hashes)
            .map_err(|e| LogError::Store(StoreError::Corrupt(e.to_string())))?;
        let entries = jobs
            .iter()
            .zip(&rows)
            .enumerate()
            .map(|(i, (job, (salt, body)))| NewLogEntry {
                idx: first + i as u64,
                subject: job.entry.subject.clone(),
                agency_org: job.entry.accessor.org.clone(),
                at: job.entry.at,
                salt: salt.clone(),
                body: body.clone(),
            })
            .collect();
        let batch = LogAppend {
            old_size: first,
            new_size: pending.new_size(),
            entries,
            nodes: pending.nodes.clone(),
            leaf_data: data.clone(),
        };
        match store.log_append(&batch).await {
            Ok(()) => {
                tree.commit_append(pending)
                    .map_err(|e| LogError::Store(StoreError::Corrupt(e.to_string())))?;
                return Ok(first);
            }
            Err(StoreError::StaleLogHead { .. }) => {
                // Another replica appended: catch up and prepare again.
                *tree = open_tree(store).await?;
            }
            Err(e) => {
                // The transaction may or may not have committed (e.g. a lost
                // connection at commit): reload so the frontier matches.
                if let Ok(t) = open_tree(store).await {
                    *tree = t;
                }
                return Err(e.into());
            }
        }
    }
    Err(LogError::Contended)
}

/// What one retention run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expired {
    /// Entries whose details were deleted.
    pub entries: u64,
    /// The retention record's leaf index, if one was appended.
    pub record_index: Option<u64>,
    /// Every access entry below this index has now expired.
    pub expire_before: u64,
}

/// Retention: deletes the details of the entries older than `cutoff` and
/// commits that to the log as a [`RetentionRecord`] leaf, in one
/// transaction with the tombstones.
///
/// Retention expires a prefix of the log: everything below the first entry
/// at or after `cutoff` (entries are appended in time order, give or take
/// the milliseconds a batch takes, so an entry a little older than `cutoff`
/// may wait for the next run). That is what lets an auditor check it from
/// the public record alone. Safe while servers append: a moved tree head
/// reloads and retries.
pub async fn expire(
    store: &dyn Store,
    cutoff: chrono::DateTime<Utc>,
    now: chrono::DateTime<Utc>,
) -> Result<Expired, LogError> {
    for _attempt in 0..5 {
        let tree = open_tree(store).await?;
        let size = tree.size();
        let done = store.log_expired_before().await?;
        let expire_before = store.log_first_entry_since(cutoff).await?.unwrap_or(size);
        // Nothing due (only retention records or nothing since the last run).
        if expire_before <= done || store.log_details_count(done, expire_before).await?.present == 0
        {
            return Ok(Expired {
                entries: 0,
                record_index: None,
                expire_before: done,
            });
        }
        let record = RetentionRecord {
            expire_before,
            cutoff,
            at: now,
        };
        let data = record.to_leaf_data()?;
        let pending = tree
            .prepare_append(&[samlet_merkle::leaf_hash(&data)])
            .map_err(|e| LogError::Store(StoreError::Corrupt(e.to_string())))?;
        let batch = LogAppend {
            old_size: size,
            new_size: pending.new_size(),
            entries: Vec::new(),
            nodes: pending.nodes.clone(),
            leaf_data: vec![data],
        };
        match store.log_expire(&batch, expire_before, now).await {
            Ok(entries) => {
                return Ok(Expired {
                    entries,
                    record_index: Some(size),
                    expire_before,
                })
            }
            Err(StoreError::StaleLogHead { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(LogError::Contended)
}
