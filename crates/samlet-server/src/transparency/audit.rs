//! The auditor: `samlet log verify --url URL [--state FILE]`.
//!
//! Talks only HTTP to the public endpoints, so it runs from any machine:
//! 1. pins the log's key (from the state file, `--key`, or on first use);
//! 2. checks the checkpoint's signature and origin;
//! 3. checks that the checkpoint extends the one in the state file
//!    (consistency proof), so nothing signed before was removed or changed;
//! 4. reads every leaf, checks that they hash to the signed root (nothing
//!    removed, altered or reordered), and that each leaf's details exist and
//!    match it, or were expired with a tombstone.
//!
//! It sees hashes only, never personal data.

use samlet_merkle::{
    open_checkpoint, root_from_leaf_hashes, verify_consistency, Hash, VerifierKey,
};
use serde::{Deserialize, Serialize};

use super::http::{ConsistencyProof, LeavesPage, LEAVES_PAGE};
use super::{hex, parse_hash};

/// What the auditor remembers between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditState {
    /// The pinned verifier key (`name+id+key`).
    pub key: String,
    pub size: u64,
    /// Root hash (hex) of the checkpoint at `size`.
    pub root: String,
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
    pub leaves_checked: u64,
    pub tombstones: u64,
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

/// Audits the log at `base` (e.g. `https://samlet.example`).
pub async fn audit(
    client: &reqwest::Client,
    base: &str,
    key: Option<&str>,
    state: Option<&AuditState>,
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

    // 4. Every leaf, and the details beside it.
    let mut hashes: Vec<Hash> = Vec::new();
    let mut expected = 0u64;
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
            if leaf.index != expected {
                report.problems.push(format!(
                    "entries {expected}..{} are missing from the log",
                    leaf.index
                ));
                gaps += 1;
            }
            expected = leaf.index + 1;
            let Some(h) = parse_hash(&leaf.leaf_hash) else {
                report
                    .problems
                    .push(format!("entry {}: malformed leaf hash", leaf.index));
                continue;
            };
            hashes.push(h);
            report.leaves_checked += 1;
            match leaf.details.as_str() {
                "present" => {
                    if leaf.details_leaf_hash.as_deref() != Some(leaf.leaf_hash.as_str()) {
                        report.problems.push(format!(
                            "entry {}: its stored details do not match its leaf (edited or moved)",
                            leaf.index
                        ));
                    }
                }
                "tombstone" => report.tombstones += 1,
                _ => report.problems.push(format!(
                    "entry {}: its details were deleted without a retention tombstone (hidden entry)",
                    leaf.index
                )),
            }
        }
    }
    if expected < cp.size {
        report.problems.push(format!(
            "the log holds {expected} entries but the checkpoint signs {}: entries were removed",
            cp.size
        ));
    } else if gaps == 0 && root_from_leaf_hashes(&hashes) != cp.root {
        report.problems.push(
            "the leaves do not hash to the signed root: an entry was altered, removed or reordered"
                .into(),
        );
    }
    if report.ok() {
        report.new_state = Some(AuditState {
            key: key_text,
            size: cp.size,
            root: hex(&cp.root),
        });
    }
    Ok(report)
}
