//! The SQL of [`crate::JourneyStore`], written once for both backends.

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
