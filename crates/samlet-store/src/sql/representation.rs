//! The SQL of [`crate::RepresentationStore`], written once for both backends.

use chrono::{DateTime, Utc};

use samlet_access::{Action, BasisKind, ConsentStatus, Scope};

use crate::representation::words;
use crate::{StoreError, StoredConsent, StoredRepresentation};

/// Space-separated words, as scopes and actions are stored.
pub(crate) fn joined<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    words.into_iter().collect::<Vec<_>>().join(" ")
}

pub(crate) const REPRESENTATION_COLUMNS: &str =
    "id, kind, subject_pid, subject_name, representative_pid, scopes, actions, \
     valid_from, valid_to, revoked_at, registered_by, reference, created_at";

/// A row of [`REPRESENTATION_COLUMNS`].
#[derive(sqlx::FromRow)]
pub(crate) struct RepresentationRow {
    id: String,
    kind: String,
    subject_pid: String,
    subject_name: Option<String>,
    representative_pid: String,
    scopes: String,
    actions: String,
    valid_from: DateTime<Utc>,
    valid_to: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    registered_by: String,
    reference: Option<String>,
    created_at: DateTime<Utc>,
}

pub(crate) fn representation(r: RepresentationRow) -> Result<StoredRepresentation, StoreError> {
    let kind = BasisKind::parse(&r.kind)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown representation kind {:?}", r.kind)))?;
    Ok(StoredRepresentation {
        id: r.id,
        kind,
        subject_pid: r.subject_pid,
        subject_name: r.subject_name,
        representative_pid: r.representative_pid,
        scopes: r
            .scopes
            .split_whitespace()
            .filter_map(|w| Scope::parse(w).ok())
            .collect(),
        actions: r
            .actions
            .split_whitespace()
            .filter_map(Action::parse)
            .collect(),
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        revoked_at: r.revoked_at,
        registered_by: r.registered_by,
        reference: r.reference,
        created_at: r.created_at,
    })
}

pub(crate) const CONSENT_COLUMNS: &str =
    "id, subject_pid, requester_org, requester_name, from_org, from_name, categories, \
     purpose, valid_to, status, decided_at, revoked_at, created_at";

/// A row of [`CONSENT_COLUMNS`].
#[derive(sqlx::FromRow)]
pub(crate) struct ConsentRow {
    id: String,
    subject_pid: String,
    requester_org: String,
    requester_name: String,
    from_org: String,
    from_name: String,
    categories: String,
    purpose: String,
    valid_to: DateTime<Utc>,
    status: String,
    decided_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

pub(crate) fn consent(r: ConsentRow) -> Result<StoredConsent, StoreError> {
    let status = ConsentStatus::parse(&r.status)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown consent status {:?}", r.status)))?;
    Ok(StoredConsent {
        id: r.id,
        subject_pid: r.subject_pid,
        requester_org: r.requester_org,
        requester_name: r.requester_name,
        from_org: r.from_org,
        from_name: r.from_name,
        categories: words(&r.categories),
        purpose: r.purpose,
        valid_to: r.valid_to,
        status,
        decided_at: r.decided_at,
        revoked_at: r.revoked_at,
        created_at: r.created_at,
    })
}

/// An agency's areas: `areas` space-separated.
#[derive(sqlx::FromRow)]
pub(crate) struct AreasRow {
    pub org: String,
    pub areas: String,
}
