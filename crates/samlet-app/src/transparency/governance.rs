//! Governance records: who was given power, by whom, when.
//!
//! Every grant of authority over persons' data — an agency's registration
//! (its first scopes), a scope granted or revoked, a sharing basis
//! registered, accepted or revoked — is a public leaf of the transparency
//! log, like a retention record. An auditor reading the log sees every
//! power the platform ever handed out, and a hidden grant would break the
//! signed tree.
//!
//! **Invariant**: the record is durable in the log before the power takes
//! effect. If applying it then fails, the log shows a grant that did not
//! happen — never a power that the log does not show.

use chrono::{DateTime, NaiveDate, Utc};
use samlet_domain::ScopeSet;
use samlet_merkle::leaf_hash;
use samlet_store::{LogAppend, Store, StoreError};
use serde::{Deserialize, Serialize};

use super::log::{open_tree, LogError};

/// First line of a governance record's leaf data; neither a 32-byte access
/// commitment nor a retention record can start with it.
pub const GOVERNANCE_PREFIX: &[u8] = b"samlet-governance/v1\n";

/// What was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum GovernanceAction {
    /// An agency was registered with its first scopes.
    AgencyRegistered {
        org: String,
        name: String,
        scopes: ScopeSet,
    },
    /// Scopes were granted; `holds` is what the agency holds afterwards.
    ScopesGranted {
        org: String,
        name: String,
        scopes: ScopeSet,
        holds: ScopeSet,
    },
    /// Scopes were revoked; `holds` is what the agency holds afterwards.
    ScopesRevoked {
        org: String,
        name: String,
        scopes: ScopeSet,
        holds: ScopeSet,
    },
    /// The operator registered a sharing basis: the reader may read the
    /// holder's data of one category for one purpose under a legal basis,
    /// once the holder accepts.
    BasisRegistered {
        basis_id: String,
        reader_org: String,
        holder_org: String,
        category: String,
        purpose: String,
        legal_basis: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        legal_ref: Option<String>,
        valid_from: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        valid_to: Option<NaiveDate>,
    },
    /// The holding agency accepted a sharing basis.
    BasisAccepted {
        basis_id: String,
        holder_org: String,
    },
    /// A sharing basis was revoked (by the operator or the holder).
    BasisRevoked { basis_id: String },
}

/// One governance record as it stands in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernanceRecord {
    /// Format version.
    pub v: u8,
    #[serde(flatten)]
    pub action: GovernanceAction,
    /// Who did it: the operator's name, or the agency's organisation number.
    pub by: String,
    pub at: DateTime<Utc>,
}

impl GovernanceRecord {
    pub fn new(action: GovernanceAction, by: &str, at: DateTime<Utc>) -> Self {
        Self {
            v: 1,
            action,
            by: by.to_owned(),
            at,
        }
    }

    /// The leaf data: [`GOVERNANCE_PREFIX`] then the record as JSON.
    pub fn to_leaf_data(&self) -> Result<Vec<u8>, serde_json::Error> {
        let mut data = GOVERNANCE_PREFIX.to_vec();
        data.extend_from_slice(&serde_json::to_vec(self)?);
        Ok(data)
    }

    /// Reads leaf data back; `None` if it is not a governance record.
    pub fn parse(data: &[u8]) -> Option<Self> {
        serde_json::from_slice(data.strip_prefix(GOVERNANCE_PREFIX)?).ok()
    }
}

/// Appends a governance record to the log and returns its index. Safe while
/// servers append (a moved tree head reloads and retries), so the operator's
/// CLI and the server can both record.
pub async fn record(store: &dyn Store, record: &GovernanceRecord) -> Result<u64, LogError> {
    let data = record.to_leaf_data()?;
    for _attempt in 0..8 {
        let tree = open_tree(store).await?;
        let size = tree.size();
        let pending = tree
            .prepare_append(&[leaf_hash(&data)])
            .map_err(|e| LogError::Store(StoreError::Corrupt(e.to_string())))?;
        let batch = LogAppend {
            old_size: size,
            new_size: pending.new_size(),
            entries: Vec::new(),
            nodes: pending.nodes.clone(),
            leaf_data: vec![data.clone()],
        };
        match store.log_append_governance(&batch).await {
            Ok(()) => return Ok(size),
            Err(StoreError::StaleLogHead { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(LogError::Contended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transparency::entry::{commitment, RetentionRecord};
    use samlet_domain::Scope;

    fn sample() -> GovernanceRecord {
        GovernanceRecord::new(
            GovernanceAction::ScopesGranted {
                org: "974761076".into(),
                name: "Statsforvalteren".into(),
                scopes: [Scope::Guardianship].into_iter().collect(),
                holds: [Scope::Write, Scope::Read, Scope::Guardianship]
                    .into_iter()
                    .collect(),
            },
            "operator",
            Utc::now(),
        )
    }

    #[test]
    fn records_round_trip_and_differ_from_other_leaves() {
        let r = sample();
        let data = r.to_leaf_data().unwrap_or_default();
        assert_eq!(GovernanceRecord::parse(&data), Some(r));
        assert_eq!(GovernanceRecord::parse(&commitment(b"s", "{}")), None);
        assert_eq!(RetentionRecord::parse(&data), None);
        let text = String::from_utf8_lossy(&data);
        assert!(text.contains("\"action\":\"scopes-granted\""), "{text}");
        assert!(text.contains("\"samlet:guardianship\""), "{text}");
    }
}
