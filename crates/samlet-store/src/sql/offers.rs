//! The offers SQL of [`crate::JourneyStore`], written once for both backends.
//!
//! What an offer says is kept as message ids with their arguments (`title_id`/`title_args`,
//! `explanation_id`/`explanation_args`) and rendered in the reader's language when read.

use chrono::{DateTime, Utc};
use sqlx::{Database, Encode, QueryBuilder, Type};

use crate::{NewOffer, StoredOffer, StoredText};

/// A row of [`COLUMNS`].
#[derive(sqlx::FromRow)]
pub(crate) struct OfferRow {
    pid: String,
    ruleset: String,
    period: String,
    amount: String,
    apply_url: Option<String>,
    title_id: String,
    title_args: String,
    explanation_id: String,
    explanation_args: String,
    unit: String,
    reason: String,
    created_at: DateTime<Utc>,
}

/// The columns of [`OfferRow`].
pub(crate) const COLUMNS: &str = "pid, ruleset, period, amount, apply_url, title_id, title_args, \
     explanation_id, explanation_args, unit, reason, created_at";

/// The person's offers, newest first (bind the pid).
pub(crate) fn for_person_sql() -> String {
    format!(
        "SELECT {COLUMNS} FROM offers WHERE pid = $1 ORDER BY created_at DESC, id DESC LIMIT 50"
    )
}

/// Every offer of a rule set (bind the rule set id).
pub(crate) fn for_ruleset_sql() -> String {
    format!("SELECT {COLUMNS} FROM offers WHERE ruleset = $1 ORDER BY pid, period")
}

pub(crate) fn offer(r: OfferRow) -> StoredOffer {
    StoredOffer {
        offer: NewOffer {
            pid: r.pid,
            ruleset: r.ruleset,
            period: r.period,
            amount: r.amount,
            apply_url: r.apply_url,
            title: StoredText {
                id: r.title_id,
                args_json: r.title_args,
            },
            explanation: StoredText {
                id: r.explanation_id,
                args_json: r.explanation_args,
            },
            unit: r.unit,
            reason: r.reason,
        },
        created_at: r.created_at,
    }
}

/// Offers per statement: 12 parameters a row stays far below both backends' limits.
pub(crate) const CHUNK: usize = 500;

/// Inserts `offers` (at most [`CHUNK`]) in one statement; an offer for a person, rule set and
/// period that exists already is skipped, so the statement's affected rows are the new ones.
pub(crate) fn insert<'a, DB>(
    offers: &'a [NewOffer],
    agency_id: Option<i64>,
    event_id: Option<&'a str>,
    now: DateTime<Utc>,
) -> QueryBuilder<'a, DB>
where
    DB: Database,
    DB::Arguments<'a>: Default,
    &'a str: Encode<'a, DB> + Type<DB>,
    Option<&'a str>: Encode<'a, DB> + Type<DB>,
    Option<i64>: Encode<'a, DB> + Type<DB>,
    DateTime<Utc>: Encode<'a, DB> + Type<DB>,
{
    let mut q = QueryBuilder::new(
        "INSERT INTO offers (pid, ruleset, period, amount, apply_url, title_id, title_args, \
         explanation_id, explanation_args, unit, reason, agency_id, event_id, created_at) ",
    );
    q.push_values(offers, |mut row, o| {
        row.push_bind(o.pid.as_str())
            .push_bind(o.ruleset.as_str())
            .push_bind(o.period.as_str())
            .push_bind(o.amount.as_str())
            .push_bind(o.apply_url.as_deref())
            .push_bind(o.title.id.as_str())
            .push_bind(o.title.args_json.as_str())
            .push_bind(o.explanation.id.as_str())
            .push_bind(o.explanation.args_json.as_str())
            .push_bind(o.unit.as_str())
            .push_bind(o.reason.as_str())
            .push_bind(agency_id)
            .push_bind(event_id)
            .push_bind(now);
    });
    q.push(" ON CONFLICT (pid, ruleset, period) DO NOTHING");
    q
}
