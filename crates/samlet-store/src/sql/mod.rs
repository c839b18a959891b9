//! One body of SQL, two backends.
//!
//! Both backends accept `$N` placeholders, `ON CONFLICT … DO UPDATE` and
//! `RETURNING`, and sqlx maps the same Rust types (`DateTime<Utc>`,
//! `NaiveDate`, `i64`, `String`, `Vec<u8>`) onto each, so a statement is
//! written once, as a constant, or with [`sqlx::QueryBuilder`] when its
//! length depends on the data (a multi-row upsert, an `IN` list). The code
//! that runs them is in `shared/`, compiled for each backend's store type
//! (see `shared/mod.rs`); each backend module names the little that differs.
//!
//! Multi-row statements bind through `QueryBuilder`, which writes `?` on
//! SQLite and `$N` on PostgreSQL. The anonymous `?` matters: sqlx finds each
//! SQLite parameter's argument by asking SQLite for the parameter's name, a
//! linear search through the statement's named parameters, and with `$N`
//! names a 500-row insert (4,500 parameters) spent half of ingest's CPU in
//! that search.

pub(crate) mod access_log;
pub(crate) mod foresight;
pub(crate) mod journeys;
pub(crate) mod offers;
pub(crate) mod overview;
pub mod postgres;
pub mod sqlite;
// Representation and consent.
pub(crate) mod representation;
pub(crate) mod sharing;
mod sqlite_read;

use samlet_domain::{CaseStatus, OrgNumber};

use crate::{AgencyRef, Item, StoreError};

pub(crate) fn status(s: &str) -> Result<CaseStatus, StoreError> {
    CaseStatus::parse(s).ok_or_else(|| StoreError::Corrupt(format!("unknown case status {s:?}")))
}

pub(crate) fn org(s: &str) -> Result<OrgNumber, StoreError> {
    OrgNumber::parse(s).map_err(|e| StoreError::Corrupt(format!("organisation number: {e}")))
}

/// The columns of [`AgencyRow`].
pub(crate) const AGENCY_COLUMNS: &str = "id, org, name, client_id, jwks, scopes";

/// A row of `agencies`.
#[derive(sqlx::FromRow)]
pub(crate) struct AgencyRow {
    id: i64,
    org: String,
    name: String,
    client_id: Option<String>,
    jwks: Option<String>,
    scopes: String,
}

pub(crate) fn agency(r: AgencyRow) -> Result<crate::Agency, StoreError> {
    Ok(crate::Agency {
        id: r.id,
        org: org(&r.org)?,
        name: r.name,
        client_id: r.client_id,
        jwks: r.jwks,
        scopes: samlet_domain::ScopeSet::parse_lenient(&r.scopes),
    })
}

/// An agency bearer token with its agency.
#[derive(sqlx::FromRow)]
pub(crate) struct TokenRow {
    #[sqlx(flatten)]
    pub agency: AgencyRow,
    pub kind: String,
    pub scope: String,
}

pub(crate) fn token_grant(r: TokenRow) -> Result<crate::TokenGrant, StoreError> {
    Ok(crate::TokenGrant {
        agency: agency(r.agency)?,
        kind: r.kind.parse()?,
        scopes: samlet_domain::ScopeSet::parse_lenient(&r.scope),
    })
}

/// What ingest's pre-read knows of a case already stored.
#[derive(sqlx::FromRow)]
pub(crate) struct StoredCaseRow {
    pub case_id: String,
    pub pid: String,
    pub status: String,
}

/// One message with its body.
#[derive(sqlx::FromRow)]
pub(crate) struct MessageBodyRow {
    pub agency_id: i64,
    pub subject: String,
    pub body: String,
    pub sent_at: chrono::DateTime<chrono::Utc>,
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
    pub name: String,
}

pub(crate) fn agency_ref(org: String, name: String) -> AgencyRef {
    AgencyRef { org, name }
}

/// What kind of items a run of the ingest batch holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Run {
    Case,
    Status,
    Deadline,
    Benefit,
    Message,
}

pub(crate) struct RunSpan {
    pub kind: Run,
    pub start: usize,
    pub end: usize,
}

/// Rows per multi-row statement: 500 rows of at most 9 parameters stays far
/// below SQLite's and PostgreSQL's parameter limits.
const RUN_MAX: usize = 500;

fn kind_and_key(item: &Item) -> (Run, &str) {
    match item {
        Item::Case(c) => (Run::Case, &c.case_id),
        Item::Status(s) => (Run::Status, &s.case_id),
        Item::Deadline(d) => (Run::Deadline, &d.deadline_id),
        Item::Benefit(b) => (Run::Benefit, &b.benefit_id),
        Item::Message(m) => (Run::Message, &m.message_id),
    }
}

/// The order a batch is stored in: cases and status changes first, in
/// their order, then deadlines, benefits and messages, each in their order.
pub(crate) fn ingest_order(items: &[Item]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| match items[i] {
        Item::Case(_) | Item::Status(_) => 0,
        Item::Deadline(_) => 1,
        Item::Benefit(_) => 2,
        Item::Message(_) => 3,
    });
    order
}

/// Split a batch into runs of one kind with distinct ids, in order.
pub(crate) fn runs(items: &[&Item]) -> Vec<RunSpan> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < items.len() {
        let (kind, first) = kind_and_key(items[start]);
        let mut keys = std::collections::HashSet::from([first]);
        let mut end = start + 1;
        while end < items.len() && end - start < RUN_MAX {
            let (k, key) = kind_and_key(items[end]);
            if k != kind || !keys.insert(key) {
                break;
            }
            end += 1;
        }
        out.push(RunSpan { kind, start, end });
        start = end;
    }
    out
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
