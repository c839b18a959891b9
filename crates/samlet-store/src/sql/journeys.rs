//! The SQL of [`crate::JourneyStore`], written once for both backends.

/// A row of [`OFFER_COLUMNS`].
#[derive(sqlx::FromRow)]
pub(crate) struct OfferRow {
    pid: String,
    ruleset: String,
    period: String,
    amount: String,
    explanation_nb: String,
    explanation_en: String,
    apply_url: Option<String>,
    title_nb: String,
    title_en: String,
    unit: String,
    reason: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

pub(crate) const OFFER_COLUMNS: &str =
    "pid, ruleset, period, amount, explanation_nb, explanation_en, \
     apply_url, title_nb, title_en, unit, reason, created_at";

pub(crate) fn offer(r: OfferRow) -> crate::StoredOffer {
    crate::StoredOffer {
        offer: crate::NewOffer {
            pid: r.pid,
            ruleset: r.ruleset,
            period: r.period,
            amount: r.amount,
            explanation_nb: r.explanation_nb,
            explanation_en: r.explanation_en,
            apply_url: r.apply_url,
            title_nb: r.title_nb,
            title_en: r.title_en,
            unit: r.unit,
            reason: r.reason,
        },
        created_at: r.created_at,
    }
}

/// A row of [`JOURNEY_COLUMNS`].
#[derive(sqlx::FromRow)]
pub(crate) struct JourneyRow {
    pub id: String,
    pid: String,
    journey_key: String,
    event_date: chrono::NaiveDate,
    tasks: String,
    created_at: chrono::DateTime<chrono::Utc>,
    facts: Option<String>,
}

pub(crate) const JOURNEY_COLUMNS: &str =
    "id, pid, journey_key, event_date, tasks, created_at, facts";

impl JourneyRow {
    pub(crate) fn with(
        self,
        done: Vec<crate::TaskDone>,
        answers: std::collections::BTreeMap<String, String>,
    ) -> crate::StoredJourney {
        crate::StoredJourney {
            id: self.id,
            pid: self.pid,
            journey_key: self.journey_key,
            event_date: self.event_date,
            tasks_json: self.tasks,
            done,
            created_at: self.created_at,
            facts_json: self.facts,
            answers,
        }
    }
}

/// A task marked done, with its journey.
#[derive(sqlx::FromRow)]
pub(crate) struct TaskDoneRow {
    pub journey_id: String,
    #[sqlx(flatten)]
    pub done: crate::TaskDone,
}

/// An answer to one of a journey's questions.
#[derive(sqlx::FromRow)]
pub(crate) struct AnswerRow {
    pub journey_id: String,
    pub fact: String,
    pub value: String,
}

/// Inserts one offer unless the person already has one for the rule set and period; evaluates
/// to true when it was new.
macro_rules! insert_offer {
    ($tx:expr, $o:expr, $agency:expr, $event:expr, $now:expr) => {{
        let o = $o;
        sqlx::query(
            "INSERT INTO offers (pid, ruleset, period, amount, explanation_nb, explanation_en, apply_url, \
             title_nb, title_en, unit, reason, agency_id, event_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
             ON CONFLICT (pid, ruleset, period) DO NOTHING",
        )
        .bind(&o.pid)
        .bind(&o.ruleset)
        .bind(&o.period)
        .bind(&o.amount)
        .bind(&o.explanation_nb)
        .bind(&o.explanation_en)
        .bind(&o.apply_url)
        .bind(&o.title_nb)
        .bind(&o.title_en)
        .bind(&o.unit)
        .bind(&o.reason)
        .bind($agency)
        .bind($event)
        .bind($now)
        .execute($tx)
        .await?
        .rows_affected()
            == 1
    }};
}

pub(crate) use insert_offer;
