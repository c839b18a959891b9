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
        ORDER BY c.updated_at DESC) FROM cases c JOIN agencies a ON a.id = c.agency_id WHERE c.pid = $1)::text, \
     (SELECT json_agg(json_build_array(e.agency_id, e.case_id, e.status, e.at, e.note) ORDER BY e.at, e.id) \
        FROM case_events e JOIN cases c ON c.agency_id = e.agency_id AND c.case_id = e.case_id WHERE c.pid = $1)::text, \
     (SELECT json_agg(json_build_array(d.deadline_id, d.title, d.due_date, d.due_at, d.case_id, d.url, a.org, a.name) \
        ORDER BY d.due_date, d.due_at, d.title) FROM deadlines d JOIN agencies a ON a.id = d.agency_id WHERE d.pid = $1)::text, \
     (SELECT json_agg(json_build_array(b.benefit_id, b.name, b.amount_minor, b.currency, b.next_payment, a.org, a.name) \
        ORDER BY b.name) FROM benefits b JOIN agencies a ON a.id = b.agency_id WHERE b.pid = $1)::text, \
     (SELECT json_build_array(COUNT(*), COUNT(*) FILTER (WHERE read_at IS NULL)) FROM messages WHERE pid = $1)::text, \
     (SELECT json_agg(json_build_array(m.message_id, m.subject, m.sent_at, m.read_at, m.org, m.name) ORDER BY m.sent_at DESC, m.message_id) \
        FROM (SELECT m.message_id, m.subject, m.sent_at, m.read_at, a.org, a.name FROM messages m \
              JOIN agencies a ON a.id = m.agency_id WHERE m.pid = $1 \
              ORDER BY m.sent_at DESC, m.message_id LIMIT $2) m)::text";

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

/// `$1` pid: (total, unread).
pub(crate) const MESSAGE_COUNTS: &str =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) FROM messages WHERE pid = $1";

/// `$1` pid, `$2` limit, `$3` offset. Newest first.
pub(crate) const MESSAGES: &str =
    "SELECT m.message_id, m.subject, m.sent_at, m.read_at, a.org, a.name \
     FROM messages m JOIN agencies a ON a.id = m.agency_id WHERE m.pid = $1 \
     ORDER BY m.sent_at DESC, m.message_id LIMIT $2 OFFSET $3";

/// `$1` id hash, `$2` now.
pub(crate) const SESSION: &str =
    "SELECT pid, csrf, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2";

pub(crate) type CaseRow = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    DateTime<Utc>,
    DateTime<Utc>,
    String,
    String,
);
pub(crate) type EventRow = (i64, String, String, DateTime<Utc>, Option<String>);
pub(crate) type DeadlineRow = (
    String,
    String,
    NaiveDate,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<String>,
    String,
    String,
);
pub(crate) type BenefitRow = (
    String,
    String,
    i64,
    String,
    Option<NaiveDate>,
    String,
    String,
);
pub(crate) type MessageRow = (
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    String,
    String,
);

/// Everything one overview reads, as rows.
#[derive(Default)]
pub(crate) struct OverviewRows {
    pub cases: Vec<CaseRow>,
    /// Events of the person's cases; may be left empty when there are no cases.
    pub events: Vec<EventRow>,
    pub deadlines: Vec<DeadlineRow>,
    pub benefits: Vec<BenefitRow>,
    /// (total, unread)
    pub message_counts: (i64, i64),
    pub messages: Vec<MessageRow>,
}

pub(crate) fn message_view(
    (message_id, subject, sent_at, read_at, org, name): MessageRow,
) -> MessageView {
    MessageView {
        agency: agency_ref(org, name),
        message_id,
        subject,
        body: None,
        sent_at,
        read: read_at.is_some(),
        read_at,
    }
}

impl OverviewRows {
    pub(crate) fn assemble(self, limits: OverviewLimits) -> crate::Result<Overview> {
        let mut cases = Vec::with_capacity(self.cases.len());
        let mut keys = std::collections::HashMap::new();
        let mut closed = 0;
        for (agency_id, case_id, title, st, service, url, opened_at, updated_at, org, name) in
            self.cases
        {
            let st = status(&st)?;
            if !st.is_open() {
                closed += 1;
                if closed > limits.closed_cases {
                    continue;
                }
            }
            keys.insert((agency_id, case_id.clone()), cases.len());
            cases.push(CaseView {
                agency: agency_ref(org, name),
                case_id,
                title,
                status: st,
                open: st.is_open(),
                service,
                url,
                opened_at,
                updated_at,
                timeline: Vec::new(),
            });
        }
        for (agency_id, case_id, st, at, note) in self.events {
            if let Some(&i) = keys.get(&(agency_id, case_id)) {
                cases[i].timeline.push(StatusEvent {
                    status: status(&st)?,
                    at,
                    note,
                });
            }
        }
        // Open cases first, each group newest change first (stable sort keeps that order).
        cases.sort_by_key(|c| !c.open);

        let deadlines = self
            .deadlines
            .into_iter()
            .map(
                |(deadline_id, title, due_date, due_at, case_id, url, org, name)| DeadlineView {
                    agency: agency_ref(org, name),
                    deadline_id,
                    title,
                    due_date,
                    due_at,
                    case_id,
                    url,
                    overdue: false,
                },
            )
            .collect();

        let mut benefits: Vec<BenefitView> = self
            .benefits
            .into_iter()
            .map(
                |(benefit_id, bname, amount_minor, currency, next_payment, org, name)| {
                    BenefitView {
                        agency: agency_ref(org, name),
                        benefit_id,
                        name: bname,
                        amount: samlet_domain::Money {
                            minor: amount_minor,
                        }
                        .to_string(),
                        amount_minor,
                        currency,
                        next_payment,
                    }
                },
            )
            .collect();
        // Next payment first; benefits without a date last.
        benefits.sort_by_key(|b| (b.next_payment.is_none(), b.next_payment));

        let (total_messages, unread_messages) = self.message_counts;
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
