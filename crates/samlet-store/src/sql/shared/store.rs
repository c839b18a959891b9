//! [`crate::Store`]: agencies, tokens, ingest, the citizen's reads, sessions.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use samlet_domain::{
    CaseStatus, ValidBenefit, ValidCase, ValidDeadline, ValidMessage, ValidStatus,
};
use sqlx::QueryBuilder;

use super::{Db, This, BACKEND};
use crate::{Rejection, Result};

#[async_trait::async_trait]
impl crate::Store for This {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    async fn ping(&self) -> crate::Result<()> {
        // With a read replica either database can be down. `fresh`,
        // not `writer`: SQLite's one writer connection may be busy
        // with a long ingest, and readiness must not wait for it.
        sqlx::query("SELECT 1").execute(&self.reader).await?;
        sqlx::query("SELECT 1").execute(&self.fresh).await?;
        Ok(())
    }

    async fn create_agency(
        &self,
        org: &samlet_domain::OrgNumber,
        name: &str,
    ) -> crate::Result<crate::Agency> {
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
            Ok(id) => Ok(crate::Agency {
                id,
                org: org.clone(),
                name: name.to_owned(),
                client_id: None,
                jwks: None,
                scopes: samlet_domain::ScopeSet::NEW_AGENCY,
            }),
            Err(e) if crate::sql::is_unique_violation(&e) => {
                Err(crate::StoreError::AgencyExists(org.to_string()))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn agency_by_org(
        &self,
        org: &samlet_domain::OrgNumber,
    ) -> crate::Result<Option<crate::Agency>> {
        let row: Option<crate::sql::AgencyRow> = sqlx::query_as(&format!(
            "SELECT {} FROM agencies WHERE org = $1",
            crate::sql::AGENCY_COLUMNS
        ))
        .bind(org.as_str())
        .fetch_optional(&self.fresh)
        .await?;
        row.map(crate::sql::agency).transpose()
    }

    async fn agency_by_client_id(&self, client_id: &str) -> crate::Result<Option<crate::Agency>> {
        let row: Option<crate::sql::AgencyRow> = sqlx::query_as(&format!(
            "SELECT {} FROM agencies WHERE client_id = $1",
            crate::sql::AGENCY_COLUMNS
        ))
        .bind(client_id)
        .fetch_optional(&self.fresh)
        .await?;
        row.map(crate::sql::agency).transpose()
    }

    async fn list_agencies(&self) -> crate::Result<Vec<crate::Agency>> {
        let rows: Vec<crate::sql::AgencyRow> = sqlx::query_as(&format!(
            "SELECT {} FROM agencies ORDER BY name",
            crate::sql::AGENCY_COLUMNS
        ))
        .fetch_all(&self.fresh)
        .await?;
        rows.into_iter().map(crate::sql::agency).collect()
    }

    async fn set_agency_keys(
        &self,
        org: &samlet_domain::OrgNumber,
        client_id: &str,
        jwks: &str,
    ) -> crate::Result<bool> {
        let res = sqlx::query("UPDATE agencies SET client_id = $1, jwks = $2 WHERE org = $3")
            .bind(client_id)
            .bind(jwks)
            .bind(org.as_str())
            .execute(&self.writer)
            .await;
        match res {
            Ok(r) => Ok(r.rows_affected() == 1),
            Err(e) if crate::sql::is_unique_violation(&e) => {
                Err(crate::StoreError::AgencyExists(client_id.to_owned()))
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn set_agency_scopes(
        &self,
        org: &samlet_domain::OrgNumber,
        scopes: samlet_domain::ScopeSet,
    ) -> crate::Result<bool> {
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
        kind: crate::TokenKind,
        scopes: samlet_domain::ScopeSet,
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> crate::Result<()> {
        sqlx::query(
            "INSERT INTO agency_tokens (token_hash, agency_id, kind, scope, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(agency_id)
        .bind(kind.as_str())
        .bind(scopes.to_string())
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
    ) -> crate::Result<Option<crate::TokenGrant>> {
        let row: Option<crate::sql::TokenRow> = sqlx::query_as(
            "SELECT a.id, a.org, a.name, a.client_id, a.jwks, a.scopes, t.kind, t.scope \
             FROM agency_tokens t JOIN agencies a ON a.id = t.agency_id \
             WHERE t.token_hash = $1 AND (t.expires_at IS NULL OR t.expires_at > $2)",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.fresh)
        .await?;
        row.map(crate::sql::token_grant).transpose()
    }

    async fn record_jti(
        &self,
        client_id: &str,
        jti: &str,
        expires_at: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<bool> {
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
        items: Vec<crate::Item>,
    ) -> crate::Result<Vec<Result<(), crate::Rejection>>> {
        use crate::sql::Run;
        use crate::Item;
        let now = chrono::Utc::now();
        let mut tx = self.writer.begin().await?;
        // Deadlines, benefits and messages depend on nothing else in
        // a batch, so they are grouped by kind (stable, so the last
        // version of an id still wins); cases and status changes keep
        // their order, so a status can follow its case in one upload.
        let order = crate::sql::ingest_order(&items);
        let ordered: Vec<&Item> = order.iter().map(|&i| &items[i]).collect();
        let mut out_ordered: Vec<Result<(), Rejection>> = vec![Ok(()); items.len()];
        // Runs of one kind with distinct ids go in one multi-row
        // statement (PostgreSQL refuses an upsert touching a row twice).
        for run in crate::sql::runs(&ordered) {
            let slice = &ordered[run.start..run.end];
            let verdicts = &mut out_ordered[run.start..run.end];
            let of = RunOf {
                agency_id,
                now,
                verdicts,
            };
            match run.kind {
                Run::Case => {
                    let cases = slice.iter().filter_map(|i| match i {
                        Item::Case(c) => Some(c),
                        _ => None,
                    });
                    upsert_cases(&mut tx, of, cases.collect()).await?
                }
                Run::Status => {
                    let changes = slice.iter().filter_map(|i| match i {
                        Item::Status(s) => Some(s),
                        _ => None,
                    });
                    insert_statuses(&mut tx, of, changes.collect()).await?
                }
                Run::Deadline => {
                    let deadlines = slice.iter().filter_map(|i| match i {
                        Item::Deadline(d) => Some(d),
                        _ => None,
                    });
                    upsert_deadlines(&mut tx, of, deadlines.collect()).await?
                }
                Run::Benefit => {
                    let benefits = slice.iter().filter_map(|i| match i {
                        Item::Benefit(b) => Some(b),
                        _ => None,
                    });
                    upsert_benefits(&mut tx, of, benefits.collect()).await?
                }
                Run::Message => {
                    let messages = slice.iter().filter_map(|i| match i {
                        Item::Message(m) => Some(m),
                        _ => None,
                    });
                    upsert_messages(&mut tx, of, messages.collect()).await?
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

    async fn overview(
        &self,
        pid: &str,
        limits: crate::OverviewLimits,
    ) -> crate::Result<crate::Overview> {
        // Each backend fetches the rows its fastest way (`overview_rows`);
        // the SQL and the assembly are shared, see `sql::overview`.
        self.overview_rows(pid, limits).await?.assemble(limits)
    }

    async fn messages(
        &self,
        pid: &str,
        offset: i64,
        limit: i64,
    ) -> crate::Result<Vec<crate::MessageView>> {
        Ok(self
            .message_rows(pid, offset, limit)
            .await?
            .into_iter()
            .map(crate::sql::overview::message_view)
            .collect())
    }

    async fn open_message(
        &self,
        pid: &str,
        org: &str,
        message_id: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<Option<crate::MessageView>> {
        let mut tx = self.writer.begin().await?;
        let row: Option<crate::sql::MessageBodyRow> = sqlx::query_as(
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
                sqlx::query(
                    "UPDATE messages SET read_at = $1 WHERE agency_id = $2 AND message_id = $3",
                )
                .bind(now)
                .bind(m.agency_id)
                .bind(message_id)
                .execute(&mut *tx)
                .await?;
                now
            }
        };
        tx.commit().await?;
        Ok(Some(crate::MessageView {
            agency: crate::sql::agency_ref(org.to_owned(), m.name),
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
    ) -> crate::Result<Option<crate::MessageView>> {
        let row: Option<crate::sql::MessageBodyRow> = sqlx::query_as(
            "SELECT m.agency_id, m.subject, m.body, m.sent_at, m.read_at, a.name \
                 FROM messages m JOIN agencies a ON a.id = m.agency_id \
                 WHERE m.pid = $1 AND a.org = $2 AND m.message_id = $3",
        )
        .bind(pid)
        .bind(org)
        .bind(message_id)
        .fetch_optional(&self.reader)
        .await?;
        Ok(row.map(|m| crate::MessageView {
            agency: crate::sql::agency_ref(org.to_owned(), m.name),
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
    ) -> crate::Result<bool> {
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

    async fn set_calendar_token(
        &self,
        pid: &str,
        token_hash: &[u8],
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<()> {
        let mut tx = self.writer.begin().await?;
        sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = $2 WHERE pid = $1 AND revoked_at IS NULL",
        )
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

    async fn revoke_calendar_tokens(
        &self,
        pid: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<u64> {
        let r = sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = $2 WHERE pid = $1 AND revoked_at IS NULL",
        )
        .bind(pid)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(r.rows_affected())
    }

    async fn pid_for_calendar_token(&self, token_hash: &[u8]) -> crate::Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT pid FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.fresh)
        .await?)
    }

    async fn create_session(&self, id_hash: &[u8], s: &crate::Session) -> crate::Result<()> {
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

    async fn session(
        &self,
        id_hash: &[u8],
        now: chrono::DateTime<chrono::Utc>,
    ) -> crate::Result<Option<crate::Session>> {
        self.session_row(id_hash, now).await
    }

    async fn delete_session(&self, id_hash: &[u8]) -> crate::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.writer)
            .await?;
        self.forget_session(id_hash);
        Ok(())
    }

    async fn purge_expired(&self, now: chrono::DateTime<chrono::Utc>) -> crate::Result<u64> {
        let mut n = 0;
        for q in [
            "DELETE FROM sessions WHERE expires_at < $1",
            "DELETE FROM used_jtis WHERE expires_at < $1",
            "DELETE FROM agency_tokens WHERE expires_at IS NOT NULL AND expires_at < $1",
        ] {
            n += sqlx::query(q)
                .bind(now)
                .execute(&self.writer)
                .await?
                .rows_affected();
        }
        Ok(n)
    }
}

/// One run of an ingest batch: who sent it, when, and its items' verdicts.
struct RunOf<'v> {
    agency_id: i64,
    now: DateTime<Utc>,
    verdicts: &'v mut [Result<(), Rejection>],
}

impl RunOf<'_> {
    /// Rejects every item whose id the upsert did not return: the agency
    /// already uses that id for another person, and the row stays as it was.
    fn keep_stored<'i>(&mut self, ids: impl Iterator<Item = &'i String>, stored: Vec<String>) {
        let stored: HashSet<String> = stored.into_iter().collect();
        for (k, id) in ids.enumerate() {
            if !stored.contains(id) {
                self.verdicts[k] = Err(Rejection::OtherPerson(id.clone()));
            }
        }
    }
}

type Tx<'c> = sqlx::Transaction<'c, Db>;

const UPSERT_CASES: &str =
    "INSERT INTO cases (agency_id, case_id, pid, title, status, service, url, opened_at, updated_at) ";
const UPSERT_CASES_END: &str =
    " ON CONFLICT (agency_id, case_id) DO UPDATE SET title = excluded.title, \
     status = excluded.status, service = excluded.service, url = excluded.url, \
     opened_at = excluded.opened_at, updated_at = excluded.updated_at \
     WHERE cases.pid = excluded.pid RETURNING case_id";
const INSERT_CASE_EVENTS: &str = "INSERT INTO case_events (agency_id, case_id, status, at) ";
const INSERT_CASE_EVENTS_END: &str = " ON CONFLICT (agency_id, case_id, status, at) DO NOTHING";
const CASE_OWNER: &str = "SELECT pid FROM cases WHERE agency_id = $1 AND case_id = $2";
const UPSERT_CASE_EVENT: &str = "INSERT INTO case_events (agency_id, case_id, status, at, note) \
     VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (agency_id, case_id, status, at) DO UPDATE SET note = excluded.note";
/// The case shows its latest status by time, whatever order changes arrive in.
const UPDATE_CASE_STATUS: &str = "UPDATE cases SET updated_at = $3, status = (SELECT e.status \
     FROM case_events e WHERE e.agency_id = $1 AND e.case_id = $2 \
     ORDER BY e.at DESC, e.id DESC LIMIT 1) \
     WHERE agency_id = $1 AND case_id = $2 AND pid = $4";
const UPSERT_DEADLINES: &str = "INSERT INTO deadlines \
     (agency_id, deadline_id, pid, title, due_date, due_at, case_id, url, updated_at) ";
const UPSERT_DEADLINES_END: &str = " ON CONFLICT (agency_id, deadline_id) DO UPDATE SET \
     title = excluded.title, due_date = excluded.due_date, due_at = excluded.due_at, \
     case_id = excluded.case_id, url = excluded.url, updated_at = excluded.updated_at \
     WHERE deadlines.pid = excluded.pid RETURNING deadline_id";
const UPSERT_BENEFITS: &str = "INSERT INTO benefits \
     (agency_id, benefit_id, pid, name, amount_minor, currency, next_payment, updated_at) ";
const UPSERT_BENEFITS_END: &str = " ON CONFLICT (agency_id, benefit_id) DO UPDATE SET \
     name = excluded.name, amount_minor = excluded.amount_minor, currency = excluded.currency, \
     next_payment = excluded.next_payment, updated_at = excluded.updated_at \
     WHERE benefits.pid = excluded.pid RETURNING benefit_id";
/// Re-sending corrects subject and body; the read state stays.
const UPSERT_MESSAGES: &str =
    "INSERT INTO messages (agency_id, message_id, pid, subject, body, sent_at) ";
const UPSERT_MESSAGES_END: &str = " ON CONFLICT (agency_id, message_id) DO UPDATE SET \
     subject = excluded.subject, body = excluded.body \
     WHERE messages.pid = excluded.pid RETURNING message_id";

async fn upsert_cases(tx: &mut Tx<'_>, of: RunOf<'_>, cases: Vec<&ValidCase>) -> Result<()> {
    let mut q =
        QueryBuilder::<Db>::new("SELECT case_id, pid, status FROM cases WHERE agency_id = ");
    q.push_bind(of.agency_id).push(" AND case_id IN (");
    let mut ids = q.separated(", ");
    for c in &cases {
        ids.push_bind(&c.case_id);
    }
    q.push(")");
    let existing = q
        .build_query_as::<crate::sql::StoredCaseRow>()
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .map(|r| Ok((r.case_id, (r.pid, crate::sql::status(&r.status)?))))
        .collect::<Result<HashMap<String, (String, CaseStatus)>>>()?;
    // The pre-read decides which status events a case brings; the guard on
    // the upsert itself decides ownership, because on PostgreSQL another
    // transaction can insert the same id for another person between the two
    // (the loser waits on the row lock, then its
    // `WHERE cases.pid = excluded.pid` fails).
    let mut accepted = Vec::new();
    for (k, c) in cases.iter().enumerate() {
        match existing.get(&c.case_id) {
            Some((pid, _)) if pid != c.pid.as_str() => {
                of.verdicts[k] = Err(Rejection::OtherPerson(c.case_id.clone()));
            }
            _ => accepted.push((k, *c)),
        }
    }
    if accepted.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Db>::new(UPSERT_CASES);
    q.push_values(&accepted, |mut row, (_, c)| {
        row.push_bind(of.agency_id)
            .push_bind(&c.case_id)
            .push_bind(c.pid.as_str())
            .push_bind(&c.title)
            .push_bind(c.status.as_str())
            .push_bind(&c.service)
            .push_bind(&c.url)
            .push_bind(c.opened_at)
            .push_bind(of.now);
    });
    q.push(UPSERT_CASES_END);
    let stored: HashSet<String> = q
        .build_query_scalar::<String>()
        .fetch_all(&mut **tx)
        .await?
        .into_iter()
        .collect();
    let mut events = Vec::new();
    for (k, c) in &accepted {
        if !stored.contains(&c.case_id) {
            of.verdicts[*k] = Err(Rejection::OtherPerson(c.case_id.clone()));
            continue;
        }
        match existing.get(&c.case_id) {
            Some((_, status)) if *status == c.status => {}
            Some(_) => events.push((&c.case_id, c.status, of.now)),
            None => events.push((&c.case_id, c.status, c.opened_at)),
        }
    }
    if events.is_empty() {
        return Ok(());
    }
    let mut q = QueryBuilder::<Db>::new(INSERT_CASE_EVENTS);
    q.push_values(&events, |mut row, (id, status, at)| {
        row.push_bind(of.agency_id)
            .push_bind(*id)
            .push_bind(status.as_str())
            .push_bind(*at);
    });
    q.push(INSERT_CASE_EVENTS_END);
    q.build().execute(&mut **tx).await?;
    Ok(())
}

async fn insert_statuses(tx: &mut Tx<'_>, of: RunOf<'_>, changes: Vec<&ValidStatus>) -> Result<()> {
    for (k, s) in changes.into_iter().enumerate() {
        let owner: Option<String> = sqlx::query_scalar(CASE_OWNER)
            .bind(of.agency_id)
            .bind(&s.case_id)
            .fetch_optional(&mut **tx)
            .await?;
        match owner {
            None => of.verdicts[k] = Err(Rejection::UnknownCase(s.case_id.clone())),
            Some(pid) if pid != s.pid.as_str() => {
                of.verdicts[k] = Err(Rejection::OtherPerson(s.case_id.clone()));
            }
            Some(_) => {
                sqlx::query(UPSERT_CASE_EVENT)
                    .bind(of.agency_id)
                    .bind(&s.case_id)
                    .bind(s.status.as_str())
                    .bind(s.at)
                    .bind(&s.note)
                    .execute(&mut **tx)
                    .await?;
                sqlx::query(UPDATE_CASE_STATUS)
                    .bind(of.agency_id)
                    .bind(&s.case_id)
                    .bind(of.now)
                    .bind(s.pid.as_str())
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

async fn upsert_deadlines(
    tx: &mut Tx<'_>,
    mut of: RunOf<'_>,
    deadlines: Vec<&ValidDeadline>,
) -> Result<()> {
    let mut q = QueryBuilder::<Db>::new(UPSERT_DEADLINES);
    q.push_values(&deadlines, |mut row, d| {
        row.push_bind(of.agency_id)
            .push_bind(&d.deadline_id)
            .push_bind(d.pid.as_str())
            .push_bind(&d.title)
            .push_bind(d.due.date)
            .push_bind(d.due.at)
            .push_bind(&d.case_id)
            .push_bind(&d.url)
            .push_bind(of.now);
    });
    q.push(UPSERT_DEADLINES_END);
    let stored = q.build_query_scalar().fetch_all(&mut **tx).await?;
    of.keep_stored(deadlines.iter().map(|d| &d.deadline_id), stored);
    Ok(())
}

async fn upsert_benefits(
    tx: &mut Tx<'_>,
    mut of: RunOf<'_>,
    benefits: Vec<&ValidBenefit>,
) -> Result<()> {
    let mut q = QueryBuilder::<Db>::new(UPSERT_BENEFITS);
    q.push_values(&benefits, |mut row, b| {
        row.push_bind(of.agency_id)
            .push_bind(&b.benefit_id)
            .push_bind(b.pid.as_str())
            .push_bind(&b.name)
            .push_bind(b.amount.minor)
            .push_bind(b.currency.as_str())
            .push_bind(b.next_payment)
            .push_bind(of.now);
    });
    q.push(UPSERT_BENEFITS_END);
    let stored = q.build_query_scalar().fetch_all(&mut **tx).await?;
    of.keep_stored(benefits.iter().map(|b| &b.benefit_id), stored);
    Ok(())
}

async fn upsert_messages(
    tx: &mut Tx<'_>,
    mut of: RunOf<'_>,
    messages: Vec<&ValidMessage>,
) -> Result<()> {
    let mut q = QueryBuilder::<Db>::new(UPSERT_MESSAGES);
    q.push_values(&messages, |mut row, m| {
        row.push_bind(of.agency_id)
            .push_bind(&m.message_id)
            .push_bind(m.pid.as_str())
            .push_bind(&m.subject)
            .push_bind(&m.body)
            .push_bind(of.now);
    });
    q.push(UPSERT_MESSAGES_END);
    let stored = q.build_query_scalar().fetch_all(&mut **tx).await?;
    of.keep_stored(messages.iter().map(|m| &m.message_id), stored);
    Ok(())
}
