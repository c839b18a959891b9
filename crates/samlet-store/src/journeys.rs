//! Life events, personal journeys and proactive offers: the storage side.
//!
//! The store keeps what was planned for a person as an opaque JSON snapshot (the catalogue may
//! change later; a person keeps the checklist they were given) plus which tasks are done.

use async_trait::async_trait;
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use samlet_domain::OrgNumber;

use crate::{Result, UnknownValue};

/// An event an agency reported (a death, a birth, a move …).
#[derive(Debug, Clone)]
pub struct NewLifeEvent {
    /// The agency's id of the event; reporting it again changes nothing.
    pub event_id: String,
    /// The person the event is about.
    pub pid: String,
    pub kind: String,
    pub date: NaiveDate,
    /// The request as JSON (related persons, facts), kept for audit.
    pub body: String,
    /// The household the event delivered, kept per person it concerns so a changed rule set can
    /// be evaluated for them again (source: the reporting agency and this event).
    pub households: Vec<NewHouseholdFacts>,
}

/// The household facts an event delivered for one person.
#[derive(Debug, Clone)]
pub struct NewHouseholdFacts {
    pub pid: String,
    /// `self`, `parent`, `spouse`, … relative to the person of the event.
    pub relation: String,
    /// The household in the rules-as-code JSON format.
    pub household_json: String,
}

/// Stored household facts, with where and when they came from.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StoredHouseholdFacts {
    pub pid: String,
    pub relation: String,
    /// The kind of event that delivered them.
    pub kind: String,
    pub event_date: NaiveDate,
    pub household_json: String,
    /// Organisation number of the agency that reported the event.
    pub source_org: String,
    pub event_id: String,
    pub created_at: DateTime<Utc>,
}

/// A journey planned for one person.
#[derive(Debug, Clone)]
pub struct NewJourney {
    pub id: String,
    pub pid: String,
    pub journey_key: String,
    pub event_date: NaiveDate,
    /// The planned tasks as JSON.
    pub tasks_json: String,
    /// The facts it was planned with (JSON object), to plan again with the citizen's answers.
    pub facts_json: String,
}

/// A text kept as a message id with its arguments, rendered in the reader's language when it
/// is read (the application layer knows the messages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredText {
    pub id: String,
    /// The arguments, a JSON object.
    pub args_json: String,
}

/// A proactive offer: the person may be entitled to something.
#[derive(Debug, Clone, Serialize)]
pub struct NewOffer {
    pub pid: String,
    pub ruleset: String,
    pub period: String,
    /// The amount as a decimal string.
    pub amount: String,
    pub apply_url: Option<String>,
    /// What is offered, as it reads after "you may be entitled to".
    pub title: StoredText,
    /// Why the person may be entitled.
    pub explanation: StoredText,
    /// `month` (a monthly amount) or `once`.
    pub unit: String,
    /// `event` or `rule-change`.
    pub reason: String,
}

/// A task marked done.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, sqlx::FromRow)]
pub struct TaskDone {
    pub task_id: String,
    #[sqlx(try_from = "String")]
    pub done_by: DoneBy,
    pub done_at: DateTime<Utc>,
}

/// Who marked a task done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DoneBy {
    /// The person the journey is for.
    Citizen,
    /// The agency that owns the task.
    Agency(OrgNumber),
}

impl DoneBy {
    /// The column text: `citizen` or the agency's organisation number.
    pub fn as_str(&self) -> &str {
        match self {
            DoneBy::Citizen => "citizen",
            DoneBy::Agency(org) => org.as_str(),
        }
    }
}

impl std::str::FromStr for DoneBy {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, UnknownValue> {
        if s == "citizen" {
            return Ok(DoneBy::Citizen);
        }
        OrgNumber::parse(s)
            .map(DoneBy::Agency)
            .map_err(|_| UnknownValue::new("task marker", s))
    }
}

impl TryFrom<String> for DoneBy {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<Self, UnknownValue> {
        s.parse()
    }
}

/// As its column text, so a done task reads as it always has.
impl Serialize for DoneBy {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A stored journey with its done tasks.
#[derive(Debug, Clone, Serialize)]
pub struct StoredJourney {
    pub id: String,
    pub pid: String,
    pub journey_key: String,
    pub event_date: NaiveDate,
    pub tasks_json: String,
    pub done: Vec<TaskDone>,
    pub created_at: DateTime<Utc>,
    /// The facts it was planned with (None for journeys from before migration 0009).
    pub facts_json: Option<String>,
    /// The citizen's self-declared answers: fact → value as JSON.
    pub answers: BTreeMap<String, String>,
}

/// A stored offer.
#[derive(Debug, Clone, Serialize)]
pub struct StoredOffer {
    #[serde(flatten)]
    pub offer: NewOffer,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait JourneyStore: Send + Sync {
    /// Records an event once per (agency, event id), with the journeys and offers it gives, in
    /// one transaction. Returns false (and stores nothing) when the event was recorded before.
    async fn record_life_event(
        &self,
        agency_id: i64,
        event: &NewLifeEvent,
        journeys: &[NewJourney],
        offers: &[NewOffer],
    ) -> Result<bool>;
    /// The person's journeys, newest event first.
    async fn journeys_for(&self, pid: &str) -> Result<Vec<StoredJourney>>;
    async fn journey(&self, journey_id: &str) -> Result<Option<StoredJourney>>;
    /// Marks a task done; false when it was already done.
    async fn set_task_done(
        &self,
        journey_id: &str,
        task_id: &str,
        done_by: &DoneBy,
        at: DateTime<Utc>,
    ) -> Result<bool>;
    /// The person's offers, newest first.
    async fn offers_for(&self, pid: &str) -> Result<Vec<StoredOffer>>;

    /// Stores the citizen's answers (fact, value as JSON; a new answer replaces the old) and the
    /// journey's tasks planned again with them, in one transaction. False: no such journey.
    async fn answer_journey(
        &self,
        journey_id: &str,
        answers: &[(String, String)],
        tasks_json: &str,
        at: DateTime<Utc>,
    ) -> Result<bool>;
    /// The newest household facts per person from events of these kinds.
    async fn household_facts(&self, kinds: &[String]) -> Result<Vec<StoredHouseholdFacts>>;
    /// Every offer of a rule set (to compare a re-evaluation with what was offered before).
    async fn offers_for_ruleset(&self, ruleset: &str) -> Result<Vec<StoredOffer>>;
    /// Offers made without an event (a rule change); an offer for a person, rule set and period
    /// that exists already is skipped. Returns how many were new.
    async fn insert_offers(&self, offers: &[NewOffer]) -> Result<usize>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_marked_a_task_reads_back_from_its_column_text() {
        let nav = OrgNumber::parse("889640782").expect("org");
        for by in [DoneBy::Citizen, DoneBy::Agency(nav)] {
            assert_eq!(by.as_str().parse::<DoneBy>(), Ok(by.clone()));
            assert_eq!(
                serde_json::to_value(&by).expect("json"),
                serde_json::json!(by.as_str())
            );
        }
        let err = "somebody".parse::<DoneBy>().expect_err("unknown");
        assert_eq!(err, UnknownValue::new("task marker", "somebody"));
        assert!(matches!(
            crate::StoreError::from(err),
            crate::StoreError::Corrupt(_)
        ));
    }
}
