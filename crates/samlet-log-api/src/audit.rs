//! The auditor: `samlet log verify --url URL [--state FILE] [--full]`.
//!
//! Talks only HTTP to the public endpoints, so it runs from any machine:
//! 1. pins the log's key (from the state file, `--key`, or on first use);
//! 2. checks the checkpoint's signature and origin;
//! 3. checks that the checkpoint extends the one in the state file
//!    (consistency proof), so nothing signed before was removed or changed;
//! 4. reads the leaves it has not seen: from the state file's frontier (the
//!    perfect-subtree roots of the tree it verified last time) plus the new
//!    leaves it recomputes the signed root, so the new leaves are exactly
//!    those the checkpoint signs; each new leaf's data and details are
//!    checked, and retention records are read;
//! 5. checks the old entries' details without reading them: every access
//!    entry at or above the last retention record's `expire_before` must
//!    still have details, none below it (`/log/details-count`);
//! 6. spot-checks `sample` random old leaves (inclusion proof against the
//!    signed root, details against the leaf).
//!
//! Without a frontier in the state (first run, or `--full`) it reads every
//! leaf. It sees hashes and retention records only, never personal data.

use rand::seq::index::sample as sample_indices;
use samlet_merkle::{
    leaf_hash, open_checkpoint, plan, verify_consistency, verify_inclusion, Hash, MerkleTree,
    NodeId, NodeStore, VerifierKey,
};
use serde::{Deserialize, Serialize};

use samlet_app::transparency::entry::{RetentionRecord, RETENTION_PREFIX};
use samlet_app::transparency::governance::{GovernanceRecord, GOVERNANCE_PREFIX};
use samlet_app::transparency::{hex, parse_hash};

use crate::{
    ConsistencyProof, DetailsCountView, InclusionProof, LeavesPage, PublicLeaf, LEAVES_PAGE,
};

/// What the auditor remembers between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditState {
    /// The pinned verifier key (`name+id+key`).
    pub key: String,
    pub size: u64,
    /// Root hash (hex) of the checkpoint at `size`.
    pub root: String,
    /// The perfect-subtree roots (hex) of the verified tree, largest first:
    /// enough to check the next leaves without re-reading these.
    #[serde(default)]
    pub frontier: Vec<String>,
    /// Every access entry below this index was expired by a retention
    /// record the auditor has read.
    #[serde(default)]
    pub expire_before: u64,
    /// Retention records (leaf indices) at or above `expire_before`.
    #[serde(default)]
    pub retention_leaves: Vec<u64>,
}

/// How much to read.
#[derive(Debug, Clone, Copy)]
pub struct AuditOptions {
    /// Re-read every leaf, ignoring the state's frontier.
    pub full: bool,
    /// Old leaves to spot-check on an incremental run.
    pub sample: u32,
}

impl Default for AuditOptions {
    fn default() -> Self {
        Self {
            full: false,
            sample: 64,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("could not reach {url}: {source}")]
    Http {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("{url} answered {status}")]
    Status { url: String, status: u16 },
    #[error("the log key {0:?} is not a valid signed-note verifier key")]
    BadKey(String),
}

/// The outcome of one audit.
#[derive(Debug, Clone, Default)]
pub struct AuditReport {
    pub key: String,
    /// Where the key came from: `state file`, `--key` or `first use`.
    pub key_source: String,
    pub size: u64,
    pub root: String,
    /// New leaves checked (all of them on a full run).
    pub leaves_checked: u64,
    /// Leaves fetched from the server, sample included.
    pub leaves_read: u64,
    /// Whether this run re-read the whole log.
    pub full: bool,
    /// Tombstones among the leaves read.
    pub tombstones: u64,
    /// Governance records (scope grants and revocations, sharing bases)
    /// among the leaves checked, in log order: who was given power.
    pub governance: Vec<(u64, GovernanceRecord)>,
    /// Every access entry below this index has expired (per the retention
    /// records in the log).
    pub expire_before: u64,
    /// Everything that is wrong; empty means the log is consistent.
    pub problems: Vec<String>,
    /// The state to save when there are no problems.
    pub new_state: Option<AuditState>,
}

impl AuditReport {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

async fn get(client: &reqwest::Client, url: &str) -> Result<reqwest::Response, AuditError> {
    let res = client
        .get(url)
        .send()
        .await
        .map_err(|source| AuditError::Http {
            url: url.into(),
            source,
        })?;
    if !res.status().is_success() {
        return Err(AuditError::Status {
            url: url.into(),
            status: res.status().as_u16(),
        });
    }
    Ok(res)
}

async fn get_text(client: &reqwest::Client, url: &str) -> Result<String, AuditError> {
    get(client, url)
        .await?
        .text()
        .await
        .map_err(|source| AuditError::Http {
            url: url.into(),
            source,
        })
}

async fn get_json<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    url: &str,
) -> Result<T, AuditError> {
    get(client, url)
        .await?
        .json()
        .await
        .map_err(|source| AuditError::Http {
            url: url.into(),
            source,
        })
}

/// Frontier hashes, kept so the synchronous [`MerkleTree`] can reopen.
struct Frontier(Vec<(NodeId, Hash)>);

impl NodeStore for Frontier {
    type Error = std::convert::Infallible;
    fn get(&self, id: NodeId) -> Result<Option<Hash>, Self::Error> {
        Ok(self.0.iter().find(|(i, _)| *i == id).map(|(_, h)| *h))
    }
    fn put(&mut self, _: NodeId, _: Hash) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// The tree the state file describes, if its frontier is whole.
fn reopen(state: &AuditState) -> Option<MerkleTree<Frontier>> {
    let ids = plan::root_node_ids(state.size);
    if ids.len() != state.frontier.len() {
        return None;
    }
    let hashes: Option<Vec<Hash>> = state.frontier.iter().map(|h| parse_hash(h)).collect();
    let tree =
        MerkleTree::open(Frontier(ids.into_iter().zip(hashes?).collect()), state.size).ok()?;
    (parse_hash(&state.root) == Some(tree.root())).then_some(tree)
}

/// What the auditor learns from one leaf.
enum LeafKind {
    Access,
    Retention(RetentionRecord),
    Governance(GovernanceRecord),
}

/// Checks one leaf's data and details; pushes problems.
fn check_leaf(leaf: &PublicLeaf, problems: &mut Vec<String>) -> Option<(Hash, LeafKind)> {
    let i = leaf.index;
    let Some(h) = parse_hash(&leaf.leaf_hash) else {
        problems.push(format!("entry {i}: malformed leaf hash"));
        return None;
    };
    let data = leaf.data.as_deref().and_then(unhex);
    if let Some(d) = &data {
        if leaf_hash(d) != h {
            problems.push(format!(
                "entry {i}: its leaf data does not hash to its leaf"
            ));
        }
    }
    let retention = data
        .as_deref()
        .filter(|d| d.starts_with(RETENTION_PREFIX))
        .map(RetentionRecord::parse);
    let governance = data
        .as_deref()
        .filter(|d| d.starts_with(GOVERNANCE_PREFIX))
        .map(GovernanceRecord::parse);
    match (leaf.details.as_str(), &governance) {
        ("governance", Some(Some(g))) if data.as_deref().map(leaf_hash) == Some(h) => {
            return Some((h, LeafKind::Governance(g.clone())))
        }
        ("governance", _) => {
            problems.push(format!(
                "entry {i}: marked as a governance record, but its leaf data is not a valid one"
            ));
            return Some((h, LeafKind::Access));
        }
        (_, Some(_)) => {
            problems.push(format!(
                "entry {i}: a governance record (a grant of power) shown as another kind of leaf"
            ));
            return Some((h, LeafKind::Access));
        }
        _ => {}
    }
    match (leaf.details.as_str(), retention) {
        ("retention", Some(Some(r))) if data.as_deref().map(leaf_hash) == Some(h) => {
            return Some((h, LeafKind::Retention(r)))
        }
        ("retention", _) => problems.push(format!(
            "entry {i}: marked as a retention record, but its leaf data is not a valid one"
        )),
        (_, Some(_)) => problems.push(format!(
            "entry {i}: a retention record shown as an access entry"
        )),
        ("present", None) => {
            if leaf.details_leaf_hash.as_deref() != Some(leaf.leaf_hash.as_str()) {
                problems.push(format!(
                    "entry {i}: its stored details do not match its leaf (edited or moved)"
                ));
            }
        }
        ("tombstone", None) => {}
        _ => problems.push(format!(
            "entry {i}: its details were deleted without a retention tombstone (hidden entry)"
        )),
    }
    Some((h, LeafKind::Access))
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.is_ascii() {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Audits the log at `base` (e.g. `https://samlet.example`).
pub async fn audit(
    client: &reqwest::Client,
    base: &str,
    key: Option<&str>,
    state: Option<&AuditState>,
    opts: AuditOptions,
) -> Result<AuditReport, AuditError> {
    let base = base.trim_end_matches('/');
    let mut report = AuditReport::default();

    // 1. The key.
    let (key_text, source) = match (state, key) {
        (Some(s), Some(k)) if s.key != k.trim() => {
            report.problems.push(format!(
                "the key given with --key ({}) differs from the key pinned in the state file ({})",
                k.trim(),
                s.key
            ));
            return Ok(report);
        }
        (Some(s), _) => (s.key.clone(), "state file"),
        (None, Some(k)) => (k.trim().to_owned(), "--key"),
        (None, None) => (
            get_text(client, &format!("{base}/log/key"))
                .await?
                .trim()
                .to_owned(),
            "first use",
        ),
    };
    let vkey = VerifierKey::parse(&key_text).map_err(|_| AuditError::BadKey(key_text.clone()))?;
    report.key = key_text.clone();
    report.key_source = source.into();

    // 2. The checkpoint.
    let note = get_text(client, &format!("{base}/log/checkpoint")).await?;
    let cp = match open_checkpoint(note.as_bytes(), vkey.name(), &vkey, &[]) {
        Ok((cp, _)) => cp,
        Err(e) => {
            report.problems.push(format!(
                "the checkpoint does not verify with the pinned key: {e}"
            ));
            return Ok(report);
        }
    };
    report.size = cp.size;
    report.root = hex(&cp.root);

    // 3. Consistency with what we saw before.
    if let Some(prev) = state {
        let prev_root = parse_hash(&prev.root);
        match prev_root {
            None => report
                .problems
                .push("the state file's root is not 64 hex digits".into()),
            Some(_) if cp.size < prev.size => report.problems.push(format!(
                "the log shrank: the checkpoint has {} entries but {} were signed before; entries were removed (rollback)",
                cp.size, prev.size
            )),
            Some(r) if cp.size == prev.size && r != cp.root => report.problems.push(format!(
                "the log forked: a different root was signed for the same size {}",
                cp.size
            )),
            Some(r) if prev.size > 0 && cp.size > prev.size => {
                let p: ConsistencyProof = get_json(
                    client,
                    &format!("{base}/log/proof/consistency?from={}&to={}", prev.size, cp.size),
                )
                .await?;
                let proof: Option<Vec<Hash>> = p.proof.iter().map(|h| parse_hash(h)).collect();
                let consistent = proof
                    .map(|proof| verify_consistency(prev.size, cp.size, &proof, &r, &cp.root).is_ok())
                    .unwrap_or(false);
                if !consistent {
                    report.problems.push(format!(
                        "the checkpoint at size {} is not consistent with the one seen before at size {}: entries were removed, altered or reordered",
                        cp.size, prev.size
                    ));
                }
            }
            Some(_) => {}
        }
    }

    if !report.ok() {
        return Ok(report);
    }

    // 4. The leaves not seen before: from the saved frontier, or all.
    let resumed = match state {
        Some(prev) if !opts.full && prev.size <= cp.size => reopen(prev),
        _ => None,
    };
    let (mut tree, mut expire_before, mut retention) = match (resumed, state) {
        (Some(t), Some(prev)) => (t, prev.expire_before, prev.retention_leaves.clone()),
        _ => {
            report.full = true;
            (MerkleTree::new(Frontier(Vec::new())), 0, Vec::new())
        }
    };
    let start = tree.size();
    let mut hashes: Vec<Hash> = Vec::new();
    let mut tombstoned: Vec<u64> = Vec::new();
    let mut expected = start;
    let mut gaps = 0u64;
    while expected < cp.size {
        let page: LeavesPage = get_json(
            client,
            &format!("{base}/log/leaves?start={expected}&limit={LEAVES_PAGE}"),
        )
        .await?;
        if page.leaves.is_empty() {
            break;
        }
        for leaf in page.leaves {
            if leaf.index >= cp.size {
                break;
            }
            report.leaves_read += 1;
            if leaf.index != expected {
                report.problems.push(format!(
                    "entries {expected}..{} are missing from the log",
                    leaf.index
                ));
                gaps += 1;
            }
            expected = leaf.index + 1;
            let Some((h, kind)) = check_leaf(&leaf, &mut report.problems) else {
                continue;
            };
            hashes.push(h);
            report.leaves_checked += 1;
            if leaf.details == "tombstone" {
                report.tombstones += 1;
                tombstoned.push(leaf.index);
            }
            if let LeafKind::Governance(g) = &kind {
                report.governance.push((leaf.index, g.clone()));
            }
            if let LeafKind::Retention(r) = kind {
                if r.expire_before > leaf.index {
                    report.problems.push(format!(
                        "entry {}: a retention record expiring entries up to {}, past itself",
                        leaf.index, r.expire_before
                    ));
                } else if r.expire_before > expire_before {
                    expire_before = r.expire_before;
                }
                retention.push(leaf.index);
            }
        }
    }
    retention.retain(|&i| i >= expire_before);
    for i in tombstoned.iter().filter(|&&i| i >= expire_before) {
        report.problems.push(format!(
            "entry {i}: its details were deleted, but no retention record in the log covers it (a tombstone written outside the retention process)"
        ));
    }
    if expected < cp.size {
        report.problems.push(format!(
            "the log holds {expected} entries but the checkpoint signs {}: entries were removed",
            cp.size
        ));
    } else if gaps == 0 {
        let root = tree.append_leaf_hashes(&hashes).map(|(_, root)| root).ok();
        if root != Some(cp.root) {
            report.problems.push(if start == 0 {
                "the leaves do not hash to the signed root: an entry was altered, removed or reordered".into()
            } else {
                format!(
                    "the leaves after {start} do not extend the tree verified before to the signed root: an entry was altered, removed or reordered"
                )
            });
        }
    }
    report.expire_before = expire_before;

    // 5. Old entries' details, counted: present from expire_before on
    //    (but for retention records), none below it.
    if start > 0 {
        let count = |s: u64, e: u64| format!("{base}/log/details-count?start={s}&end={e}");
        let above: DetailsCountView = get_json(client, &count(expire_before, start)).await?;
        let records = retention.iter().filter(|&&i| i < start).count() as u64;
        let want = start.saturating_sub(expire_before).saturating_sub(records);
        if above.present != want || above.tombstones != 0 {
            report.problems.push(format!(
                "old entries {expire_before}..{start}: {} have details and {} were expired, but all {want} access entries should still have details: details were deleted (hidden entries) or tombstones written outside the retention process",
                above.present, above.tombstones
            ));
        }
        if expire_before > 0 {
            let below: DetailsCountView = get_json(client, &count(0, expire_before)).await?;
            if below.present != 0 {
                report.problems.push(format!(
                    "{} entries below {expire_before} still have details although a retention record says they expired",
                    below.present
                ));
            }
        }

        // 6. A random sample of old leaves, checked against the signed root.
        let n = usize::try_from(start).unwrap_or(usize::MAX);
        let k = usize::try_from(opts.sample).unwrap_or(usize::MAX).min(n);
        let mut picks = sample_indices(&mut rand::thread_rng(), n, k).into_vec();
        picks.sort_unstable();
        for i in picks {
            let i = i as u64;
            let page: LeavesPage =
                get_json(client, &format!("{base}/log/leaves?start={i}&limit=1")).await?;
            let Some(leaf) = page.leaves.into_iter().next().filter(|l| l.index == i) else {
                report
                    .problems
                    .push(format!("entry {i} is missing from the log"));
                continue;
            };
            report.leaves_read += 1;
            let Some((h, _)) = check_leaf(&leaf, &mut report.problems) else {
                continue;
            };
            if leaf.details == "tombstone" && i >= expire_before {
                report.problems.push(format!(
                    "entry {i}: its details were deleted, but no retention record in the log covers it (a tombstone written outside the retention process)"
                ));
            }
            let p: InclusionProof = match get_json(
                client,
                &format!("{base}/log/proof/inclusion?index={i}&size={}", cp.size),
            )
            .await
            {
                Ok(p) => p,
                Err(AuditError::Status { status, .. }) => {
                    report.problems.push(format!(
                        "entry {i}: the log cannot prove it is in the signed tree (HTTP {status}): stored nodes are missing"
                    ));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let proof: Option<Vec<Hash>> = p.proof.iter().map(|h| parse_hash(h)).collect();
            let included = proof
                .map(|proof| verify_inclusion(i, cp.size, &h, &proof, &cp.root).is_ok())
                .unwrap_or(false);
            if !included {
                report.problems.push(format!(
                    "entry {i}: its leaf is not in the signed tree (altered or moved)"
                ));
            }
        }
    }

    if report.ok() {
        report.new_state = Some(AuditState {
            key: key_text,
            size: cp.size,
            root: hex(&cp.root),
            frontier: tree.frontier().iter().map(|h| hex(h)).collect(),
            expire_before,
            retention_leaves: retention,
        });
    }
    Ok(report)
}
