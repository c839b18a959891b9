//! Representation and consent: the storage side.
//!
//! The store keeps facts only; whether a fact lets anyone read anything is
//! decided by `samlet_access::decide` above the store. The one exception is
//! [`RepresentationStore::represented_page`], which filters by validity in SQL
//! so that paging works (the server re-checks each row with the policy).

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use samlet_access::{Action, BasisKind, ConsentStatus, Scope};
use serde::Serialize;

use crate::Result;

/// A power of attorney, guardianship or parental relation to store.
#[derive(Debug, Clone)]
pub struct NewRepresentation {
    pub id: String,
    pub kind: BasisKind,
    /// The represented person.
    pub subject_pid: String,
    pub representative_pid: String,
    pub scopes: Vec<Scope>,
    pub actions: Vec<Action>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    /// `citizen` or the registering agency's organisation number.
    pub registered_by: String,
    /// E.g. the county governor's decision number.
    pub reference: Option<String>,
}

/// A stored representation, with the represented person's name when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredRepresentation {
    pub id: String,
    pub kind: BasisKind,
    pub subject_pid: String,
    pub subject_name: Option<String>,
    pub representative_pid: String,
    /// Scopes the store no longer knows (an area since removed) are left
    /// out: a representation never covers more than it did.
    #[serde(serialize_with = "scope_words")]
    pub scopes: Vec<Scope>,
    pub actions: Vec<Action>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub registered_by: String,
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// An agency's request for a person's consent.
#[derive(Debug, Clone)]
pub struct NewConsentRequest {
    pub id: String,
    pub subject_pid: String,
    pub requester_id: i64,
    pub requester_org: String,
    pub requester_name: String,
    /// The agency holding the data.
    pub from_org: String,
    pub from_name: String,
    pub categories: Vec<String>,
    pub purpose: String,
    pub valid_to: DateTime<Utc>,
}

/// A consent request; once approved it is the consent (same id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredConsent {
    pub id: String,
    #[serde(skip)]
    pub subject_pid: String,
    pub requester_org: String,
    pub requester_name: String,
    pub from_org: String,
    pub from_name: String,
    pub categories: Vec<String>,
    pub purpose: String,
    pub valid_to: DateTime<Utc>,
    pub status: ConsentStatus,
    pub decided_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Scopes as their words (`all`, `health`, a service id), as they are stored.
fn scope_words<S: serde::Serializer>(scopes: &[Scope], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(scopes.iter().map(Scope::as_str))
}

/// How a consent request is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentAnswer {
    Approve,
    Decline,
}

#[async_trait]
pub trait RepresentationStore: Send + Sync {
    /// Names from the population register; also refreshes the copies in
    /// the representations of these persons.
    async fn upsert_person_names(
        &self,
        names: &[(String, String)],
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn person_name(&self, pid: &str) -> Result<Option<String>>;

    async fn insert_representation(&self, r: &NewRepresentation, now: DateTime<Utc>) -> Result<()>;
    async fn representation(&self, id: &str) -> Result<Option<StoredRepresentation>>;
    /// Revoke at `now`; false when unknown or already revoked.
    async fn revoke_representation(&self, id: &str, now: DateTime<Utc>) -> Result<bool>;
    /// Everything the person has given (or that was registered over them), newest first.
    async fn representations_of_subject(
        &self,
        subject_pid: &str,
    ) -> Result<Vec<StoredRepresentation>>;
    /// What the person has received, newest first, at most `limit`.
    async fn representations_of_representative(
        &self,
        representative_pid: &str,
        limit: i64,
    ) -> Result<Vec<StoredRepresentation>>;
    /// Every representation between the two, valid or not: the policy's facts.
    async fn representations_between(
        &self,
        representative_pid: &str,
        subject_pid: &str,
    ) -> Result<Vec<StoredRepresentation>>;
    /// The representative's list of people they act for at `now`, by name,
    /// filtered by `query` (part of the name, or the start of the identity number).
    /// `offset` and `limit` count **persons**: the result is every representation
    /// valid at `now` of up to `limit` persons, ordered by name, person, id, so
    /// the rows of one person are consecutive.
    async fn represented_page(
        &self,
        representative_pid: &str,
        query: &str,
        now: DateTime<Utc>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<StoredRepresentation>>;

    async fn insert_consent_request(&self, c: &NewConsentRequest, now: DateTime<Utc>)
        -> Result<()>;
    async fn consent(&self, id: &str) -> Result<Option<StoredConsent>>;
    /// The person's consent requests and consents, newest first.
    async fn consents_of_subject(&self, subject_pid: &str) -> Result<Vec<StoredConsent>>;
    /// Every consent the requester holds or asked for from this person: the policy's facts.
    async fn consents_between(
        &self,
        requester_org: &str,
        subject_pid: &str,
    ) -> Result<Vec<StoredConsent>>;
    /// Answer a pending request of this person; false when it is not theirs or not pending.
    async fn answer_consent(
        &self,
        id: &str,
        subject_pid: &str,
        answer: ConsentAnswer,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Revoke an approved consent of this person; false when not theirs, not approved or
    /// already revoked.
    async fn revoke_consent(&self, id: &str, subject_pid: &str, now: DateTime<Utc>)
        -> Result<bool>;

    /// Which areas (health, tax, benefits …) an agency's items belong to.
    async fn set_agency_areas(&self, org: &str, areas: &[String]) -> Result<()>;
    async fn agency_areas(&self) -> Result<Vec<(String, Vec<String>)>>;
}

/// Words stored space-separated.
pub(crate) fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

/// `%part%` for LIKE, with the wildcards in `part` escaped (`ESCAPE '\'`).
pub(crate) fn like_escape(part: &str) -> String {
    let mut s = String::with_capacity(part.len() + 2);
    for c in part.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s
}
