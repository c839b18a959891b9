//! The citizen overview's SQL for both backends, and the assembly of its
//! rows into an [`Overview`], written once.
//!
//! The backends differ in how they fetch the rows: PostgreSQL in one
//! statement ([`PG_OVERVIEW`], one round trip), SQLite as a handful of
//! statements in one read transaction on a blocking reader pool
//! (`sql::sqlite_read`, which says why). Both give [`OverviewRows`] the same
//! rows in the same columns.

use chrono::{DateTime, NaiveDate, Utc};

use crate::sql::{agency_ref, status};
use crate::{
    BenefitView, CaseView, DeadlineView, MessageView, Overview, OverviewLimits, StatusEvent,
};

/// PostgreSQL's whole overview in one statement and one round trip, `$1`
/// pid, `$2` message limit: the person's cases (newest change first),
/// [`EVENTS`], deadlines (by due date), benefits (by name),
/// [`MESSAGE_COUNTS`] and the first page of [`MESSAGES`], each as a JSON
/// array of row arrays (NULL when there are none) in the columns of
/// [`CaseRow`], [`EventRow`] and the others. Six statements in turn cost six round trips and most
/// of an overview's time; sqlx cannot pipeline them.
pub(crate) const PG_OVERVIEW: &str = "SELECT \
     (SELECT json_agg(json_build_array(c.agency_id, c.case_id, c.title, c.status, c.service, c.url, c.opened_at, c.updated_at, a.org, a.name) \
        ORDER BY c.updated_at DESC) FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.pid = $1)::text AS cases, \
     (SELECT json_agg(json_build_array(e.agency_id, e.case_id, e.status, e.at, e.note) ORDER BY e.at, e.id) \
        FROM case_events e JOIN cases c ON c.agency_id = e.agency_id AND c.case_id = e.case_id WHERE c.pid = $1)::text AS events, \
     (SELECT json_agg(json_build_array(d.deadline_id, d.title, d.due_date, d.due_at, d.case_id, d.url, a.org, a.name) \
        ORDER BY d.due_date, d.due_at, d.title) FROM deadlines d JOIN agencies a ON a.id = d.agency_id WHERE d.pid = $1)::text AS deadlines, \
     (SELECT json_agg(json_build_array(b.benefit_id, b.name, b.amount_minor, b.currency, b.next_payment, a.org, a.name) \
        ORDER BY b.name) FROM benefits b JOIN agencies a ON a.id = b.agency_id WHERE b.pid = $1)::text AS benefits, \
     (SELECT json_build_array(COUNT(*), COUNT(*) FILTER (WHERE read_at IS NULL)) FROM messages WHERE pid = $1)::text AS counts, \
     (SELECT json_agg(json_build_array(m.message_id, m.subject, m.sent_at, m.read_at, m.org, m.name) ORDER BY m.sent_at DESC, m.message_id) \
        FROM (SELECT m.message_id, m.subject, m.sent_at, m.read_at, a.org, a.name FROM messages m \
              JOIN agencies a ON a.id = m.agency_id WHERE m.pid = $1 \
              ORDER BY m.sent_at DESC, m.message_id LIMIT $2) m)::text AS messages";

/// `$1` pid. Oldest first.
pub(crate) const EVENTS: &str =
    "SELECT e.agency_id, e.case_id, e.status, e.at, e.note FROM case_events e \
     JOIN cases c ON c.agency_id = e.agency_id AND c.case_id = e.case_id \
     WHERE c.pid = $1 ORDER BY e.at, e.id";

/// SQLite's forms of the cases, deadlines, benefits and [`MESSAGES`] of
/// [`PG_OVERVIEW`]: the same rows, but with the agency's id
/// in place of its organisation number and name, which the SQLite reader
/// takes from its in-memory agency table (`sqlite_read::AgencyNames`) instead
/// of a join per row: a fifth of an overview's B-tree searches. The first
/// three leave the ordering to the reader, which sorts a person's handful of
/// rows in Rust for less than SQLite's sorter costs to set up.
pub(crate) const SQLITE_CASES: &str =
    "SELECT c.agency_id, c.case_id, c.title, c.status, c.service, c.url, c.opened_at, c.updated_at \
     FROM cases c WHERE c.pid = $1";
pub(crate) const SQLITE_DEADLINES: &str =
    "SELECT d.deadline_id, d.title, d.due_date, d.due_at, d.case_id, d.url, d.agency_id \
     FROM deadlines d WHERE d.pid = $1";
pub(crate) const SQLITE_BENEFITS: &str =
    "SELECT b.benefit_id, b.name, b.amount_minor, b.currency, b.next_payment, b.agency_id \
     FROM benefits b WHERE b.pid = $1";
pub(crate) const SQLITE_MESSAGES: &str =
    "SELECT m.message_id, m.subject, m.sent_at, m.read_at, m.agency_id \
     FROM messages m WHERE m.pid = $1 \
     ORDER BY m.sent_at DESC, m.message_id LIMIT $2 OFFSET $3";

/// `$1` pid: [`MessageCounts`].
pub(crate) const MESSAGE_COUNTS: &str =
    "SELECT COUNT(*) AS total, COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) AS unread \
     FROM messages WHERE pid = $1";

/// `$1` pid, `$2` limit, `$3` offset. Newest first.
pub(crate) const MESSAGES: &str =
    "SELECT m.message_id, m.subject, m.sent_at, m.read_at, a.org, a.name \
     FROM messages m JOIN agencies a ON a.id = m.agency_id WHERE m.pid = $1 \
     ORDER BY m.sent_at DESC, m.message_id LIMIT $2 OFFSET $3";

/// `$1` id hash, `$2` now.
pub(crate) const SESSION: &str =
    "SELECT pid, csrf, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2";

/// A row of [`SESSION`].
#[derive(sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub pid: String,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

impl From<SessionRow> for crate::Session {
    fn from(r: SessionRow) -> Self {
        Self {
            pid: r.pid,
            csrf: r.csrf,
            expires_at: r.expires_at,
        }
    }
}

// The rows below are read by sqlx (`FromRow`, by column name) and from
// PostgreSQL's JSON arrays (`Deserialize`, by position: keep the fields in
// the order of the SELECTs above).

/// A case with its agency.
#[derive(Debug, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct CaseRow {
    pub agency_id: i64,
    pub case_id: String,
    pub title: String,
    pub status: String,
    pub service: Option<String>,
    pub url: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub org: String,
    pub name: String,
}

/// One status change of a case.
#[derive(Debug, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct EventRow {
    pub agency_id: i64,
    pub case_id: String,
    pub status: String,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
}

#[derive(Debug, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct DeadlineRow {
    pub deadline_id: String,
    pub title: String,
    pub due_date: NaiveDate,
    pub due_at: Option<DateTime<Utc>>,
    pub case_id: Option<String>,
    pub url: Option<String>,
    pub org: String,
    pub name: String,
}

#[derive(Debug, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct BenefitRow {
    pub benefit_id: String,
    pub name: String,
    pub amount_minor: i64,
    pub currency: String,
    pub next_payment: Option<NaiveDate>,
    pub org: String,
    /// The agency's name.
    pub agency_name: String,
}

/// A message without its body, as lists show it.
#[derive(Debug, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct MessageRow {
    pub message_id: String,
    pub subject: String,
    pub sent_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
    pub org: String,
    pub name: String,
}

/// [`MESSAGE_COUNTS`].
#[derive(Debug, Default, Clone, Copy, sqlx::FromRow, serde::Deserialize)]
pub(crate) struct MessageCounts {
    pub total: i64,
    pub unread: i64,
}

/// Everything one overview reads, as rows.
#[derive(Default)]
pub(crate) struct OverviewRows {
    pub cases: Vec<CaseRow>,
    /// Events of the person's cases; may be left empty when there are no cases.
    pub events: Vec<EventRow>,
    pub deadlines: Vec<DeadlineRow>,
    pub benefits: Vec<BenefitRow>,
    pub message_counts: MessageCounts,
    pub messages: Vec<MessageRow>,
}

pub(crate) fn message_view(m: MessageRow) -> MessageView {
    MessageView {
        agency: agency_ref(m.org, m.name),
        message_id: m.message_id,
        subject: m.subject,
        body: None,
        sent_at: m.sent_at,
        read: m.read_at.is_some(),
        read_at: m.read_at,
    }
}

impl OverviewRows {
    pub(crate) fn assemble(self, limits: OverviewLimits) -> crate::Result<Overview> {
        let mut cases = Vec::with_capacity(self.cases.len());
        let mut keys = std::collections::HashMap::new();
        let mut closed = 0;
        for c in self.cases {
            let st = status(&c.status)?;
            if !st.is_open() {
                closed += 1;
                if closed > limits.closed_cases {
                    continue;
                }
            }
            keys.insert((c.agency_id, c.case_id.clone()), cases.len());
            cases.push(CaseView {
                agency: agency_ref(c.org, c.name),
                case_id: c.case_id,
                title: c.title,
                status: st,
                open: st.is_open(),
                service: c.service,
                url: c.url,
                opened_at: c.opened_at,
                updated_at: c.updated_at,
                timeline: Vec::new(),
            });
        }
        for e in self.events {
            if let Some(&i) = keys.get(&(e.agency_id, e.case_id)) {
                cases[i].timeline.push(StatusEvent {
                    status: status(&e.status)?,
                    at: e.at,
                    note: e.note,
                });
            }
        }
        // Open cases first, each group newest change first (stable sort keeps that order).
        cases.sort_by_key(|c| !c.open);

        let deadlines = self
            .deadlines
            .into_iter()
            .map(|d| DeadlineView {
                agency: agency_ref(d.org, d.name),
                deadline_id: d.deadline_id,
                title: d.title,
                due_date: d.due_date,
                due_at: d.due_at,
                case_id: d.case_id,
                url: d.url,
                overdue: false,
            })
            .collect();

        let mut benefits: Vec<BenefitView> = self
            .benefits
            .into_iter()
            .map(|b| BenefitView {
                agency: agency_ref(b.org, b.agency_name),
                benefit_id: b.benefit_id,
                name: b.name,
                amount: samlet_domain::Money {
                    minor: b.amount_minor,
                }
                .to_string(),
                amount_minor: b.amount_minor,
                currency: b.currency,
                next_payment: b.next_payment,
            })
            .collect();
        // Next payment first; benefits without a date last.
        benefits.sort_by_key(|b| (b.next_payment.is_none(), b.next_payment));

        let MessageCounts {
            total: total_messages,
            unread: unread_messages,
        } = self.message_counts;
        Ok(Overview {
            cases,
            deadlines,
            benefits,
            messages: self.messages.into_iter().map(message_view).collect(),
            unread_messages,
            total_messages,
        })
    }
}
