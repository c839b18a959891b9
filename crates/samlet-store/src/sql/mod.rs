//! One body of SQL, two backends.
//!
//! The queries are written once in [`impl_store!`] and expanded for SQLite
//! and PostgreSQL: both accept `$N` placeholders, `ON CONFLICT … DO UPDATE`
//! and `RETURNING`, and sqlx maps the same Rust types (`DateTime<Utc>`,
//! `NaiveDate`, `i64`, `String`, `Vec<u8>`) onto each. A macro rather than
//! generics because sqlx's generic executor bounds would drown the SQL.
//! Where the dialects differ, the backend module says so.

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
        kind: crate::TokenKind::parse(&r.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown token kind {:?}", r.kind)))?,
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

/// Rows per multi-row statement: 500 rows of at most 7 parameters stays far
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

/// How a backend's multi-row statements name their parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placeholders {
    /// `$1, $2, …`, shared values bound once (PostgreSQL).
    Numbered,
    /// `?` only, shared values bound again in every row (SQLite). sqlx
    /// finds each SQLite parameter's argument by asking SQLite for the
    /// parameter's name, a linear search through the statement's named
    /// parameters: with `$N` names, a 500-row insert (3,500 parameters)
    /// spent half of ingest's CPU in that search. Anonymous parameters have
    /// no names, so the lookup returns at once.
    Anonymous,
}

impl Placeholders {
    pub(crate) fn of(backend: &str) -> Self {
        if backend == "sqlite" {
            Placeholders::Anonymous
        } else {
            Placeholders::Numbered
        }
    }

    /// Parameter `n` (1-based, in binding order).
    pub(crate) fn param(self, n: usize) -> String {
        match self {
            Placeholders::Numbered => format!("${n}"),
            Placeholders::Anonymous => "?".into(),
        }
    }
}

/// The rows of a multi-row VALUES clause: `rows` rows of `per_row`
/// parameters each, between `before` shared parameters at the start of every
/// row and `after` at its end. The shared ones are numbered first (`$1` …,
/// bound once); [`Placeholders::Anonymous`] writes them as `?` in every row,
/// to be bound in every row.
pub(crate) fn values_clause(
    p: Placeholders,
    rows: usize,
    per_row: usize,
    before: usize,
    after: usize,
) -> String {
    let first = before + after + 1;
    let mut s = String::with_capacity(rows * (before + per_row + after) * 6);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        let numbers = (1..=before)
            .chain((0..per_row).map(|c| first + r * per_row + c))
            .chain(before + 1..=before + after);
        s.push('(');
        for (k, n) in numbers.enumerate() {
            if k > 0 {
                s.push_str(", ");
            }
            s.push_str(&p.param(n));
        }
        s.push(')');
    }
    s
}

pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

macro_rules! impl_store {
    ($ty:ty, $backend:literal) => {
        #[async_trait::async_trait]
        impl $crate::Store for $ty {
            fn backend(&self) -> &'static str {
                $backend
            }

            async fn ping(&self) -> $crate::Result<()> {
                // With a read replica either database can be down. `fresh`,
                // not `writer`: SQLite's one writer connection may be busy
                // with a long ingest, and readiness must not wait for it.
                sqlx::query("SELECT 1").execute(&self.reader).await?;
                sqlx::query("SELECT 1").execute(&self.fresh).await?;
                Ok(())
            }

            async fn create_agency(&self, org: &samlet_domain::OrgNumber, name: &str) -> $crate::Result<$crate::Agency> {
                let now = chrono::Utc::now();
                let res: Result<i64, sqlx::Error> = sqlx::query_scalar(
                    "INSERT INTO agencies (org, name, created_at, scopes) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(org.as_str())
                .bind(name)
                .bind(now)
                .bind(samlet_domain::ScopeSet::NEW_AGENCY.to_string())
                .fetch_one(&self.writer)
                .await;
                match res {
                    Ok(id) => Ok($crate::Agency { id, org: org.clone(), name: name.to_owned(), client_id: None, jwks: None, scopes: samlet_domain::ScopeSet::NEW_AGENCY }),
                    Err(e) if $crate::sql::is_unique_violation(&e) => Err($crate::StoreError::AgencyExists(org.to_string())),
                    Err(e) => Err(e.into()),
                }
            }

            async fn agency_by_org(&self, org: &samlet_domain::OrgNumber) -> $crate::Result<Option<$crate::Agency>> {
                let row: Option<$crate::sql::AgencyRow> =
                    sqlx::query_as(&format!("SELECT {} FROM agencies WHERE org = $1", $crate::sql::AGENCY_COLUMNS))
                        .bind(org.as_str())
                        .fetch_optional(&self.fresh)
                        .await?;
                row.map($crate::sql::agency).transpose()
            }

            async fn agency_by_client_id(&self, client_id: &str) -> $crate::Result<Option<$crate::Agency>> {
                let row: Option<$crate::sql::AgencyRow> =
                    sqlx::query_as(&format!("SELECT {} FROM agencies WHERE client_id = $1", $crate::sql::AGENCY_COLUMNS))
                        .bind(client_id)
                        .fetch_optional(&self.fresh)
                        .await?;
                row.map($crate::sql::agency).transpose()
            }

            async fn list_agencies(&self) -> $crate::Result<Vec<$crate::Agency>> {
                let rows: Vec<$crate::sql::AgencyRow> =
                    sqlx::query_as(&format!("SELECT {} FROM agencies ORDER BY name", $crate::sql::AGENCY_COLUMNS))
                        .fetch_all(&self.fresh)
                        .await?;
                rows.into_iter().map($crate::sql::agency).collect()
            }

            async fn set_agency_keys(&self, org: &samlet_domain::OrgNumber, client_id: &str, jwks: &str) -> $crate::Result<bool> {
                let res = sqlx::query("UPDATE agencies SET client_id = $1, jwks = $2 WHERE org = $3")
                    .bind(client_id)
                    .bind(jwks)
                    .bind(org.as_str())
                    .execute(&self.writer)
                    .await;
                match res {
                    Ok(r) => Ok(r.rows_affected() == 1),
                    Err(e) if $crate::sql::is_unique_violation(&e) => Err($crate::StoreError::AgencyExists(client_id.to_owned())),
                    Err(e) => Err(e.into()),
                }
            }

            async fn set_agency_scopes(&self, org: &samlet_domain::OrgNumber, scopes: samlet_domain::ScopeSet) -> $crate::Result<bool> {
                let res = sqlx::query("UPDATE agencies SET scopes = $1 WHERE org = $2")
                    .bind(scopes.to_string())
                    .bind(org.as_str())
                    .execute(&self.writer)
                    .await?;
                Ok(res.rows_affected() == 1)
            }

            async fn insert_agency_token(
                &self,
                token_hash: &[u8],
                agency_id: i64,
                kind: &str,
                scope: &str,
                expires_at: Option<chrono::DateTime<chrono::Utc>>,
            ) -> $crate::Result<()> {
                sqlx::query(
                    "INSERT INTO agency_tokens (token_hash, agency_id, kind, scope, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(token_hash)
                .bind(agency_id)
                .bind(kind)
                .bind(scope)
                .bind(expires_at)
                .bind(chrono::Utc::now())
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn agency_for_token(
                &self,
                token_hash: &[u8],
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<Option<$crate::TokenGrant>> {
                let row: Option<$crate::sql::TokenRow> = sqlx::query_as(
                    "SELECT a.id, a.org, a.name, a.client_id, a.jwks, a.scopes, t.kind, t.scope \
                     FROM agency_tokens t JOIN agencies a ON a.id = t.agency_id \
                     WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.fresh)
                .await?;
                row.map($crate::sql::token_grant)
                .transpose()
            }

            async fn record_jti(&self, client_id: &str, jti: &str, expires_at: chrono::DateTime<chrono::Utc>) -> $crate::Result<bool> {
                let r = sqlx::query(
                    "INSERT INTO used_jtis (client_id, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (client_id, jti) DO NOTHING",
                )
                .bind(client_id)
                .bind(jti)
                .bind(expires_at)
                .execute(&self.writer)
                .await?;
                Ok(r.rows_affected() == 1)
            }

            async fn ingest(
                &self,
                agency_id: i64,
                items: Vec<$crate::Item>,
            ) -> $crate::Result<Vec<Result<(), $crate::Rejection>>> {
                use $crate::sql::{values_clause, Placeholders, Run};
                use $crate::{Item, Rejection};
                let p = Placeholders::of($backend);
                let now = chrono::Utc::now();
                let mut tx = self.writer.begin().await?;
                // Deadlines, benefits and messages depend on nothing else in
                // a batch, so they are grouped by kind (stable, so the last
                // version of an id still wins); cases and status changes keep
                // their order, so a status can follow its case in one upload.
                let order = $crate::sql::ingest_order(&items);
                let ordered: Vec<&Item> = order.iter().map(|&i| &items[i]).collect();
                let mut out_ordered: Vec<Result<(), Rejection>> = vec![Ok(()); items.len()];
                // Runs of one kind with distinct ids go in one multi-row
                // statement (PostgreSQL refuses an upsert touching a row twice).
                for run in $crate::sql::runs(&ordered) {
                    let slice = &ordered[run.start..run.end];
                    let verdicts = &mut out_ordered[run.start..run.end];
                    match run.kind {
                        Run::Case => {
                            let cases: Vec<&samlet_domain::ValidCase> = slice.iter().filter_map(|i| if let Item::Case(c) = i { Some(c) } else { None }).collect();
                            let sql = format!(
                                "SELECT case_id, pid, status FROM cases WHERE agency_id = {} AND case_id IN ({})",
                                p.param(1),
                                (0..cases.len()).map(|k| p.param(k + 2)).collect::<Vec<_>>().join(", ")
                            );
                            let mut q = sqlx::query_as::<_, $crate::sql::StoredCaseRow>(&sql).bind(agency_id);
                            for c in &cases {
                                q = q.bind(&c.case_id);
                            }
                            let existing: std::collections::HashMap<String, (String, String)> =
                                q.fetch_all(&mut *tx).await?.into_iter().map(|r| (r.case_id, (r.pid, r.status))).collect();
                            // The pre-read decides which status events a case
                            // brings; the guard on the upsert itself decides
                            // ownership, because on PostgreSQL another transaction
                            // can insert the same id for another person between the
                            // two (the loser waits on the row lock, then its
                            // `WHERE cases.pid = excluded.pid` fails).
                            let mut accepted = Vec::new();
                            for (k, c) in cases.iter().enumerate() {
                                match existing.get(&c.case_id) {
                                    Some((pid, _)) if pid != c.pid.as_str() => verdicts[k] = Err(Rejection::OtherPerson(c.case_id.clone())),
                                    _ => accepted.push((k, *c)),
                                }
                            }
                            let mut events = Vec::new();
                            if !accepted.is_empty() {
                                let sql = format!(
                                    "INSERT INTO cases (agency_id, case_id, pid, title, status, service, url, opened_at, updated_at) VALUES {} \
                                     ON CONFLICT (agency_id, case_id) DO UPDATE SET title = excluded.title, status = excluded.status, \
                                     service = excluded.service, url = excluded.url, opened_at = excluded.opened_at, updated_at = excluded.updated_at \
                                     WHERE cases.pid = excluded.pid RETURNING case_id",
                                    values_clause(p, accepted.len(), 7, 1, 1)
                                );
                                let mut q = sqlx::query_scalar::<_, String>(&sql);
                                if p == Placeholders::Numbered {
                                    q = q.bind(agency_id).bind(now);
                                }
                                for (_, c) in &accepted {
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(agency_id);
                                    }
                                    q = q.bind(&c.case_id).bind(c.pid.as_str()).bind(&c.title).bind(c.status.as_str()).bind(&c.service).bind(&c.url).bind(c.opened_at);
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(now);
                                    }
                                }
                                let stored: std::collections::HashSet<String> = q.fetch_all(&mut *tx).await?.into_iter().collect();
                                for (k, c) in &accepted {
                                    if !stored.contains(&c.case_id) {
                                        verdicts[*k] = Err(Rejection::OtherPerson(c.case_id.clone()));
                                        continue;
                                    }
                                    match existing.get(&c.case_id) {
                                        Some((_, st)) if st == c.status.as_str() => {}
                                        Some(_) => events.push((&c.case_id, c.status, now)),
                                        None => events.push((&c.case_id, c.status, c.opened_at)),
                                    }
                                }
                            }
                            if !events.is_empty() {
                                let sql = format!(
                                    "INSERT INTO case_events (agency_id, case_id, status, at) VALUES {} \
                                     ON CONFLICT (agency_id, case_id, status, at) DO NOTHING",
                                    values_clause(p, events.len(), 3, 1, 0)
                                );
                                let mut q = sqlx::query(&sql);
                                if p == Placeholders::Numbered {
                                    q = q.bind(agency_id);
                                }
                                for (id, st, at) in &events {
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(agency_id);
                                    }
                                    q = q.bind(*id).bind(st.as_str()).bind(*at);
                                }
                                q.execute(&mut *tx).await?;
                            }
                        }
                        Run::Status => {
                            for (k, item) in slice.iter().enumerate() {
                                let Item::Status(s) = item else { continue };
                                let existing: Option<String> =
                                    sqlx::query_scalar("SELECT pid FROM cases WHERE agency_id = $1 AND case_id = $2")
                                        .bind(agency_id)
                                        .bind(&s.case_id)
                                        .fetch_optional(&mut *tx)
                                        .await?;
                                match existing {
                                    None => verdicts[k] = Err(Rejection::UnknownCase(s.case_id.clone())),
                                    Some(pid) if pid != s.pid.as_str() => verdicts[k] = Err(Rejection::OtherPerson(s.case_id.clone())),
                                    Some(_) => {
                                        sqlx::query(
                                            "INSERT INTO case_events (agency_id, case_id, status, at, note) VALUES ($1, $2, $3, $4, $5) \
                                             ON CONFLICT (agency_id, case_id, status, at) DO UPDATE SET note = excluded.note",
                                        )
                                        .bind(agency_id)
                                        .bind(&s.case_id)
                                        .bind(s.status.as_str())
                                        .bind(s.at)
                                        .bind(&s.note)
                                        .execute(&mut *tx)
                                        .await?;
                                        // The case shows its latest status by time, whatever order changes arrive in.
                                        sqlx::query(
                                            "UPDATE cases SET updated_at = $3, status = (SELECT e.status FROM case_events e \
                                             WHERE e.agency_id = $1 AND e.case_id = $2 ORDER BY e.at DESC, e.id DESC LIMIT 1) \
                                             WHERE agency_id = $1 AND case_id = $2 AND pid = $4",
                                        )
                                        .bind(agency_id)
                                        .bind(&s.case_id)
                                        .bind(now)
                                        .bind(s.pid.as_str())
                                        .execute(&mut *tx)
                                        .await?;
                                    }
                                }
                            }
                        }
                        Run::Deadline => {
                            let sql = format!(
                                "INSERT INTO deadlines (agency_id, deadline_id, pid, title, due_date, due_at, case_id, url, updated_at) VALUES {} \
                                 ON CONFLICT (agency_id, deadline_id) DO UPDATE SET title = excluded.title, due_date = excluded.due_date, \
                                 due_at = excluded.due_at, case_id = excluded.case_id, url = excluded.url, updated_at = excluded.updated_at \
                                 WHERE deadlines.pid = excluded.pid RETURNING deadline_id",
                                values_clause(p, slice.len(), 7, 1, 1)
                            );
                            let mut q = sqlx::query_scalar::<_, String>(&sql);
                            if p == Placeholders::Numbered {
                                q = q.bind(agency_id).bind(now);
                            }
                            for item in slice {
                                if let Item::Deadline(d) = item {
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(agency_id);
                                    }
                                    q = q.bind(&d.deadline_id).bind(d.pid.as_str()).bind(&d.title).bind(d.due.date).bind(d.due.at).bind(&d.case_id).bind(&d.url);
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(now);
                                    }
                                }
                            }
                            let stored: std::collections::HashSet<String> = q.fetch_all(&mut *tx).await?.into_iter().collect();
                            for (k, item) in slice.iter().enumerate() {
                                if let Item::Deadline(d) = item {
                                    if !stored.contains(&d.deadline_id) {
                                        verdicts[k] = Err(Rejection::OtherPerson(d.deadline_id.clone()));
                                    }
                                }
                            }
                        }
                        Run::Benefit => {
                            let sql = format!(
                                "INSERT INTO benefits (agency_id, benefit_id, pid, name, amount_minor, currency, next_payment, updated_at) VALUES {} \
                                 ON CONFLICT (agency_id, benefit_id) DO UPDATE SET name = excluded.name, amount_minor = excluded.amount_minor, \
                                 currency = excluded.currency, next_payment = excluded.next_payment, updated_at = excluded.updated_at \
                                 WHERE benefits.pid = excluded.pid RETURNING benefit_id",
                                values_clause(p, slice.len(), 6, 1, 1)
                            );
                            let mut q = sqlx::query_scalar::<_, String>(&sql);
                            if p == Placeholders::Numbered {
                                q = q.bind(agency_id).bind(now);
                            }
                            for item in slice {
                                if let Item::Benefit(b) = item {
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(agency_id);
                                    }
                                    q = q.bind(&b.benefit_id).bind(b.pid.as_str()).bind(&b.name).bind(b.amount.minor).bind(b.currency.as_str()).bind(b.next_payment);
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(now);
                                    }
                                }
                            }
                            let stored: std::collections::HashSet<String> = q.fetch_all(&mut *tx).await?.into_iter().collect();
                            for (k, item) in slice.iter().enumerate() {
                                if let Item::Benefit(b) = item {
                                    if !stored.contains(&b.benefit_id) {
                                        verdicts[k] = Err(Rejection::OtherPerson(b.benefit_id.clone()));
                                    }
                                }
                            }
                        }
                        Run::Message => {
                            // Re-sending corrects subject and body; the read state stays.
                            let sql = format!(
                                "INSERT INTO messages (agency_id, message_id, pid, subject, body, sent_at) VALUES {} \
                                 ON CONFLICT (agency_id, message_id) DO UPDATE SET subject = excluded.subject, body = excluded.body \
                                 WHERE messages.pid = excluded.pid RETURNING message_id",
                                values_clause(p, slice.len(), 4, 1, 1)
                            );
                            let mut q = sqlx::query_scalar::<_, String>(&sql);
                            if p == Placeholders::Numbered {
                                q = q.bind(agency_id).bind(now);
                            }
                            for item in slice {
                                if let Item::Message(m) = item {
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(agency_id);
                                    }
                                    q = q.bind(&m.message_id).bind(m.pid.as_str()).bind(&m.subject).bind(&m.body);
                                    if p == Placeholders::Anonymous {
                                        q = q.bind(now);
                                    }
                                }
                            }
                            let stored: std::collections::HashSet<String> = q.fetch_all(&mut *tx).await?.into_iter().collect();
                            for (k, item) in slice.iter().enumerate() {
                                if let Item::Message(m) = item {
                                    if !stored.contains(&m.message_id) {
                                        verdicts[k] = Err(Rejection::OtherPerson(m.message_id.clone()));
                                    }
                                }
                            }
                        }
                    }
                }
                tx.commit().await?;
                let mut out: Vec<Result<(), Rejection>> = vec![Ok(()); items.len()];
                for (k, verdict) in out_ordered.into_iter().enumerate() {
                    out[order[k]] = verdict;
                }
                Ok(out)
            }

            async fn overview(&self, pid: &str, limits: $crate::OverviewLimits) -> $crate::Result<$crate::Overview> {
                // Each backend fetches the rows its fastest way (`overview_rows`);
                // the SQL and the assembly are shared, see `sql::overview`.
                self.overview_rows(pid, limits).await?.assemble(limits)
            }

            async fn messages(&self, pid: &str, offset: i64, limit: i64) -> $crate::Result<Vec<$crate::MessageView>> {
                Ok(self.message_rows(pid, offset, limit).await?.into_iter().map($crate::sql::overview::message_view).collect())
            }

            async fn open_message(
                &self,
                pid: &str,
                org: &str,
                message_id: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<Option<$crate::MessageView>> {
                let mut tx = self.writer.begin().await?;
                let row: Option<$crate::sql::MessageBodyRow> =
                    sqlx::query_as(
                        "SELECT m.agency_id, m.subject, m.body, m.sent_at, m.read_at, a.name \
                         FROM messages m JOIN agencies a ON a.id = m.agency_id \
                         WHERE m.pid = $1 AND a.org = $2 AND m.message_id = $3",
                    )
                    .bind(pid)
                    .bind(org)
                    .bind(message_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(m) = row else {
                    return Ok(None);
                };
                let read_at = match m.read_at {
                    Some(t) => t,
                    None => {
                        sqlx::query("UPDATE messages SET read_at = $1 WHERE agency_id = $2 AND message_id = $3")
                            .bind(now)
                            .bind(m.agency_id)
                            .bind(message_id)
                            .execute(&mut *tx)
                            .await?;
                        now
                    }
                };
                tx.commit().await?;
                Ok(Some($crate::MessageView {
                    agency: $crate::sql::agency_ref(org.to_owned(), m.name),
                    message_id: message_id.to_owned(),
                    subject: m.subject,
                    body: Some(m.body),
                    sent_at: m.sent_at,
                    read: true,
                    read_at: Some(read_at),
                }))
            }

            async fn message(
                &self,
                pid: &str,
                org: &str,
                message_id: &str,
            ) -> $crate::Result<Option<$crate::MessageView>> {
                let row: Option<$crate::sql::MessageBodyRow> =
                    sqlx::query_as(
                        "SELECT m.agency_id, m.subject, m.body, m.sent_at, m.read_at, a.name \
                         FROM messages m JOIN agencies a ON a.id = m.agency_id \
                         WHERE m.pid = $1 AND a.org = $2 AND m.message_id = $3",
                    )
                    .bind(pid)
                    .bind(org)
                    .bind(message_id)
                    .fetch_optional(&self.reader)
                    .await?;
                Ok(row.map(|m| $crate::MessageView {
                    agency: $crate::sql::agency_ref(org.to_owned(), m.name),
                    message_id: message_id.to_owned(),
                    subject: m.subject,
                    body: Some(m.body),
                    sent_at: m.sent_at,
                    read: m.read_at.is_some(),
                    read_at: m.read_at,
                }))
            }

            async fn mark_message_read(
                &self,
                pid: &str,
                org: &str,
                message_id: &str,
                now: chrono::DateTime<chrono::Utc>,
            ) -> $crate::Result<bool> {
                // One statement: the first reading time stays, and a message
                // of another person is neither found nor touched.
                let found: Option<String> = sqlx::query_scalar(
                    "UPDATE messages SET read_at = COALESCE(read_at, $4) \
                     WHERE pid = $1 AND message_id = $3 \
                       AND agency_id = (SELECT id FROM agencies WHERE org = $2) \
                     RETURNING message_id",
                )
                .bind(pid)
                .bind(org)
                .bind(message_id)
                .bind(now)
                .fetch_optional(&self.writer)
                .await?;
                Ok(found.is_some())
            }

            async fn set_calendar_token(&self, pid: &str, token_hash: &[u8], now: chrono::DateTime<chrono::Utc>) -> $crate::Result<()> {
                let mut tx = self.writer.begin().await?;
                sqlx::query("UPDATE calendar_feeds SET revoked_at = $2 WHERE pid = $1 AND revoked_at IS NULL")
                    .bind(pid)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO calendar_feeds (token_hash, pid, created_at) VALUES ($1, $2, $3)")
                    .bind(token_hash)
                    .bind(pid)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn revoke_calendar_tokens(&self, pid: &str, now: chrono::DateTime<chrono::Utc>) -> $crate::Result<u64> {
                let r = sqlx::query("UPDATE calendar_feeds SET revoked_at = $2 WHERE pid = $1 AND revoked_at IS NULL")
                    .bind(pid)
                    .bind(now)
                    .execute(&self.writer)
                    .await?;
                Ok(r.rows_affected())
            }

            async fn pid_for_calendar_token(&self, token_hash: &[u8]) -> $crate::Result<Option<String>> {
                Ok(sqlx::query_scalar("SELECT pid FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL")
                    .bind(token_hash)
                    .fetch_optional(&self.fresh)
                    .await?)
            }

            async fn create_session(&self, id_hash: &[u8], s: &$crate::Session) -> $crate::Result<()> {
                sqlx::query("INSERT INTO sessions (id_hash, pid, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id_hash)
                    .bind(&s.pid)
                    .bind(&s.csrf)
                    .bind(chrono::Utc::now())
                    .bind(s.expires_at)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn session(&self, id_hash: &[u8], now: chrono::DateTime<chrono::Utc>) -> $crate::Result<Option<$crate::Session>> {
                self.session_row(id_hash, now).await
            }

            async fn delete_session(&self, id_hash: &[u8]) -> $crate::Result<()> {
                sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(&self.writer).await?;
                self.forget_session(id_hash);
                Ok(())
            }

            async fn purge_expired(&self, now: chrono::DateTime<chrono::Utc>) -> $crate::Result<u64> {
                let mut n = 0;
                for q in [
                    "DELETE FROM sessions WHERE expires_at < $1",
                    "DELETE FROM used_jtis WHERE expires_at < $1",
                    "DELETE FROM agency_tokens WHERE expires_at IS NOT NULL AND expires_at < $1",
                ] {
                    n += sqlx::query(q).bind(now).execute(&self.writer).await?.rows_affected();
                }
                Ok(n)
            }
        }
    };
}

pub(crate) use impl_store;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_clause_numbers_parameters_in_order() {
        let n = Placeholders::Numbered;
        assert_eq!(
            values_clause(n, 2, 2, 1, 1),
            "($1, $3, $4, $2), ($1, $5, $6, $2)"
        );
        assert_eq!(values_clause(n, 1, 3, 1, 0), "($1, $2, $3, $4)");
    }

    #[test]
    fn anonymous_values_clause_repeats_shared_parameters_in_every_row() {
        let a = Placeholders::Anonymous;
        assert_eq!(values_clause(a, 2, 2, 1, 1), "(?, ?, ?, ?), (?, ?, ?, ?)");
        assert_eq!(values_clause(a, 1, 3, 1, 0), "(?, ?, ?, ?)");
        assert_eq!(Placeholders::of("sqlite"), a);
        assert_eq!(Placeholders::of("postgres").param(7), "$7");
    }
}
