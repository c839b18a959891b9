//! Life events: an agency reports an event, Samlet plans the journeys (personal checklists) and
//! the proactive offers it gives; agencies and citizens tick off tasks; the citizen answers the
//! questions no register can and the checklist is planned again.

use chrono::{DateTime, NaiveDate, Utc};
use samlet_domain::{OrgNumber, Pid, PidPolicy};
use samlet_journeys::{Catalogue, CompletedBy, Facts, PlannedTask, Text};
use samlet_rules::Lang;
use samlet_store::{
    DoneBy, JourneyStore, NewHouseholdFacts, NewJourney, NewLifeEvent, StoredJourney,
};

use crate::rules::RuleSets;

pub mod offers;

/// Why a journey use case did not go through.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No such journey or task (or it is someone else's).
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Denied(Denied),
    /// Bad input: `pointer` is the JSON pointer of the field in the request.
    #[error("{message}")]
    Invalid { pointer: String, message: String },
    /// A stored journey that does not read back (a defect, not the caller's fault).
    #[error("stored journey: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Store(#[from] samlet_store::StoreError),
}

impl Error {
    fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Invalid {
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    fn corrupt(e: impl std::fmt::Display) -> Self {
        Error::Corrupt(e.to_string())
    }
}

/// Why marking a task done was refused.
#[derive(Debug)]
pub enum Denied {
    /// The agency has no right to write (its token lacks `samlet:write`).
    NoWriteScope,
    /// A citizen tried to tick off a task the owning agency marks done.
    AgencyMarksIt { agency: Text },
    /// An agency tried to mark another agency's task.
    OtherAgencysTask {
        task: String,
        agency: Text,
        org: String,
    },
}

impl std::fmt::Display for Denied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Denied::NoWriteScope => f.write_str("Writing needs the samlet:write scope."),
            Denied::AgencyMarksIt { agency } => {
                write!(f, "{} marks this task done, not you.", agency.get(Lang::Nb))
            }
            Denied::OtherAgencysTask { task, agency, org } => write!(
                f,
                "Task `{task}` belongs to {} ({org}), not to your organisation.",
                agency.get(Lang::En)
            ),
        }
    }
}

/// A person the event concerns besides its subject.
#[derive(Debug, Clone)]
pub struct Related {
    pub pid: String,
    /// How they relate to the subject: `spouse`, `parent`, `child`, …
    pub relation: String,
    /// Facts about this person (names from the catalogue's facts.yaml).
    pub facts: serde_json::Map<String, serde_json::Value>,
}

/// An event an agency reports, as it arrived (validated by [`record_event`]).
#[derive(Debug, Clone)]
pub struct Event {
    /// The agency's id of the event: reporting it again changes nothing.
    pub event_id: String,
    /// The person the event is about.
    pub pid: String,
    pub kind: String,
    pub date: NaiveDate,
    pub related: Vec<Related>,
    /// Facts about the subject.
    pub facts: serde_json::Map<String, serde_json::Value>,
    /// The household in the rules-as-code format of the offers the event triggers.
    pub household: Option<serde_json::Value>,
}

/// A journey an event started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub id: String,
    /// The catalogue key.
    pub journey: String,
}

/// What an event started.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub event_id: String,
    /// False when the event had been reported before (nothing changed).
    pub new: bool,
    pub journeys: Vec<Started>,
    /// Number of proactive offers made.
    pub offers: usize,
}

fn facts_of(
    map: &serde_json::Map<String, serde_json::Value>,
    pointer: &str,
) -> Result<Facts, Error> {
    map.iter()
        .map(|(k, v)| {
            serde_json::from_value(v.clone())
                .map(|v| (k.clone(), v))
                .map_err(|e| Error::invalid(format!("{pointer}/{k}"), e.to_string()))
        })
        .collect()
}

fn pid(s: &str, policy: PidPolicy, pointer: &str) -> Result<Pid, Error> {
    Pid::parse(s, policy).map_err(|e| Error::invalid(pointer, e.to_string()))
}

/// Plans the journeys and offers an event gives and stores them, once per event id.
pub async fn record_event<S: JourneyStore + ?Sized>(
    store: &S,
    catalogue: &Catalogue,
    rules: &RuleSets,
    pid_policy: PidPolicy,
    agency_id: i64,
    e: Event,
) -> Result<Recorded, Error> {
    if e.event_id.trim().is_empty() || e.event_id.chars().count() > 200 {
        return Err(Error::invalid(
            "/event_id",
            "Give the event an id of 1 to 200 characters.",
        ));
    }
    if e.household
        .as_ref()
        .is_some_and(|h| !h.is_object() && !h.is_null())
    {
        return Err(Error::invalid(
            "/household",
            "The household is an object in the rules-as-code format.",
        ));
    }
    let subject = pid(&e.pid, pid_policy, "/pid")?;
    let mut persons: Vec<(String, String, Facts)> = vec![(
        subject.as_str().to_owned(),
        "self".to_owned(),
        facts_of(&e.facts, "/facts")?,
    )];
    for (i, r) in e.related.iter().enumerate() {
        let p = pid(&r.pid, pid_policy, &format!("/related/{i}/pid"))?;
        let mut f = facts_of(&r.facts, &format!("/related/{i}/facts"))?;
        f.insert("relation".into(), samlet_rules::Value::text(&r.relation));
        persons.push((p.as_str().to_owned(), r.relation.clone(), f));
    }
    let mut journeys = Vec::new();
    for (p, relation, facts) in &mut persons {
        facts
            .entry("relation".into())
            .or_insert_with(|| samlet_rules::Value::text(relation));
        for j in catalogue.triggered_by(&e.kind, relation) {
            let plan = catalogue.plan(j, e.date, facts);
            journeys.push(NewJourney {
                id: uuid::Uuid::new_v4().to_string(),
                pid: p.clone(),
                journey_key: j.id.clone(),
                event_date: e.date,
                tasks_json: serde_json::to_string(&plan).map_err(Error::corrupt)?,
                facts_json: serde_json::to_string(&*facts).map_err(Error::corrupt)?,
            });
        }
    }
    let persons: Vec<(String, String)> = persons.into_iter().map(|(p, r, _)| (p, r)).collect();
    let offers = offers::for_event(catalogue, rules, &e, &persons)?;
    // The household is kept for everyone the event concerns, so that a changed rule set can be
    // evaluated for them again (`samlet offers rerun`).
    let households = match &e.household {
        Some(h) => {
            let json = h.to_string();
            persons
                .iter()
                .map(|(p, relation)| NewHouseholdFacts {
                    pid: p.clone(),
                    relation: relation.clone(),
                    household_json: json.clone(),
                })
                .collect()
        }
        None => Vec::new(),
    };
    let body = serde_json::json!({"kind": e.kind, "related": e.related.len()}).to_string();
    let new = store
        .record_life_event(
            agency_id,
            &NewLifeEvent {
                event_id: e.event_id.clone(),
                pid: subject.as_str().to_owned(),
                kind: e.kind.clone(),
                date: e.date,
                body,
                households,
            },
            &journeys,
            &offers,
        )
        .await?;
    Ok(Recorded {
        event_id: e.event_id,
        new,
        journeys: if new {
            journeys
                .iter()
                .map(|j| Started {
                    id: j.id.clone(),
                    journey: j.journey_key.clone(),
                })
                .collect()
        } else {
            Vec::new()
        },
        offers: if new { offers.len() } else { 0 },
    })
}

/// One task on a person's checklist, as it stands.
#[derive(Debug, Clone)]
pub struct TaskState {
    pub task: PlannedTask,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    /// The citizen can tick it off (a task completed by the citizen, not yet done).
    pub can_mark_done: bool,
    /// Past its due date and not done.
    pub overdue: bool,
    /// Facts the citizen declared that decided whether this task applies.
    pub self_declared: Vec<Answered>,
}

/// A fact the citizen declared (shown as self-declared wherever it is used).
#[derive(Debug, Clone)]
pub struct Answered {
    pub fact: String,
    pub label: Text,
    pub value: serde_json::Value,
}

/// A question no register can answer, with the citizen's answer so far.
#[derive(Debug, Clone)]
pub struct QuestionState {
    pub fact: String,
    pub label: Text,
    /// `boolean`, `integer`, `money`, `text`, …
    pub ty: String,
    pub reference: Option<String>,
    pub answer: Option<serde_json::Value>,
}

/// A personal journey as its person sees it.
#[derive(Debug, Clone)]
pub struct Checklist {
    pub id: String,
    /// The catalogue key.
    pub journey: String,
    /// The catalogue's title; `None` when the catalogue no longer has the journey.
    pub title: Option<Text>,
    pub event_date: NaiveDate,
    pub tasks: Vec<TaskState>,
    pub done_count: usize,
    pub questions: Vec<QuestionState>,
}

impl Checklist {
    /// The title in `lang` (the catalogue key for a journey the catalogue no longer has).
    pub fn title_in(&self, lang: Lang) -> String {
        self.title
            .as_ref()
            .map_or_else(|| self.journey.clone(), |t| t.get(lang).to_owned())
    }
}

/// A stored journey as its person sees it on `today` (their country's date).
pub fn checklist(
    catalogue: &Catalogue,
    j: StoredJourney,
    today: NaiveDate,
) -> Result<Checklist, Error> {
    let mut tasks: Vec<PlannedTask> = serde_json::from_str(&j.tasks_json)
        .map_err(|e| Error::Corrupt(format!("{}: {e}", j.id)))?;
    let journey = catalogue.journey(&j.journey_key);
    // A plan keeps the texts it was made with; the catalogue's current texts replace them, so a
    // plan stored before a language was added reads in that language too.
    if let Some(c) = journey {
        for t in &mut tasks {
            if let Some(ct) = c.tasks.iter().find(|ct| ct.id == t.id) {
                t.title = ct.title.clone();
                t.description = ct.description.clone();
            }
            if let Some(a) = catalogue.agencies.get(&t.agency.key) {
                t.agency.name = a.name.clone();
            }
        }
    }
    let questions: Vec<samlet_journeys::Question> =
        journey.map(|c| c.questions()).unwrap_or_default();
    let answer = |fact: &str| -> Option<serde_json::Value> {
        j.answers
            .get(fact)
            .and_then(|v| serde_json::from_str(v).ok())
    };
    let self_declared = |task_id: &str| -> Vec<Answered> {
        let used = journey.map(|c| c.task_facts(task_id)).unwrap_or_default();
        questions
            .iter()
            .filter(|q| used.contains(&q.fact))
            .filter_map(|q| {
                Some(Answered {
                    fact: q.fact.clone(),
                    label: q.label.clone(),
                    value: answer(&q.fact)?,
                })
            })
            .collect()
    };
    let tasks: Vec<TaskState> = tasks
        .into_iter()
        .map(|t| {
            let done = j.done.iter().find(|d| d.task_id == t.id);
            TaskState {
                done: done.is_some(),
                done_at: done.map(|d| d.done_at),
                can_mark_done: done.is_none() && t.completed_by == CompletedBy::Citizen,
                overdue: done.is_none() && t.due.is_some_and(|d| d < today),
                self_declared: self_declared(&t.id),
                task: t,
            }
        })
        .collect();
    let questions = questions
        .into_iter()
        .map(|q| QuestionState {
            answer: answer(&q.fact),
            fact: q.fact,
            label: q.label,
            ty: q.ty,
            reference: q.reference,
        })
        .collect();
    Ok(Checklist {
        questions,
        id: j.id,
        title: journey.map(|c| c.title.clone()),
        journey: j.journey_key,
        event_date: j.event_date,
        done_count: tasks.iter().filter(|t| t.done).count(),
        tasks,
    })
}

/// The person's journeys, newest event first.
pub async fn journeys_of<S: JourneyStore + ?Sized>(
    store: &S,
    catalogue: &Catalogue,
    pid: &Pid,
    today: NaiveDate,
) -> Result<Vec<Checklist>, Error> {
    store
        .journeys_for(pid.as_str())
        .await?
        .into_iter()
        .map(|j| checklist(catalogue, j, today))
        .collect()
}

/// One of the person's journeys; `None` when there is none with this id for them.
pub async fn journey_of<S: JourneyStore + ?Sized>(
    store: &S,
    catalogue: &Catalogue,
    pid: &Pid,
    journey_id: &str,
    today: NaiveDate,
) -> Result<Option<Checklist>, Error> {
    store
        .journey(journey_id)
        .await?
        .filter(|j| j.pid == pid.as_str())
        .map(|j| checklist(catalogue, j, today))
        .transpose()
}

/// Task marked done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub journey_id: String,
    pub task_id: String,
    /// False when it was already done.
    pub changed: bool,
}

/// Who is marking a task done.
#[derive(Debug, Clone, Copy)]
pub enum Marker<'a> {
    /// The person the journey is for.
    Citizen(&'a Pid),
    /// An agency; `may_write` when its token carries `samlet:write`.
    Agency { org: &'a OrgNumber, may_write: bool },
}

/// Marks a task done: a citizen only their own tasks that they do themselves, an agency only
/// tasks it owns.
pub async fn mark_done<S: JourneyStore + ?Sized>(
    store: &S,
    who: Marker<'_>,
    journey_id: &str,
    task_id: &str,
    now: DateTime<Utc>,
) -> Result<Marked, Error> {
    let not_found = || {
        Error::NotFound(format!(
            "There is no task `{task_id}` in journey `{journey_id}`."
        ))
    };
    let j = store.journey(journey_id).await?.ok_or_else(not_found)?;
    if let Marker::Citizen(p) = who {
        if j.pid != p.as_str() {
            return Err(not_found());
        }
    }
    let tasks: Vec<PlannedTask> = serde_json::from_str(&j.tasks_json).map_err(Error::corrupt)?;
    let t = tasks
        .iter()
        .find(|t| t.id == task_id)
        .ok_or_else(not_found)?;
    let by = match who {
        Marker::Citizen(_) if t.completed_by != CompletedBy::Citizen => {
            return Err(Error::Denied(Denied::AgencyMarksIt {
                agency: t.agency.name.clone(),
            }))
        }
        Marker::Citizen(_) => DoneBy::Citizen,
        Marker::Agency {
            may_write: false, ..
        } => return Err(Error::Denied(Denied::NoWriteScope)),
        Marker::Agency { org, .. } => {
            if org.as_str() != t.agency.org {
                return Err(Error::Denied(Denied::OtherAgencysTask {
                    task: task_id.to_owned(),
                    agency: t.agency.name.clone(),
                    org: t.agency.org.clone(),
                }));
            }
            DoneBy::Agency(org.clone())
        }
    };
    let changed = store.set_task_done(journey_id, task_id, &by, now).await?;
    Ok(Marked {
        journey_id: journey_id.to_owned(),
        task_id: task_id.to_owned(),
        changed,
    })
}

/// Stores the citizen's answers (self-declared) and plans the journey again with them. Tasks
/// already done stay on the checklist even if an answer means they no longer apply.
pub async fn answer<S: JourneyStore + ?Sized>(
    store: &S,
    catalogue: &Catalogue,
    citizen: &Pid,
    journey_id: &str,
    answers: &serde_json::Map<String, serde_json::Value>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Checklist, Error> {
    let not_found = || Error::NotFound(format!("There is no journey `{journey_id}`."));
    let j = store
        .journey(journey_id)
        .await?
        .filter(|j| j.pid == citizen.as_str())
        .ok_or_else(not_found)?;
    let journey = catalogue.journey(&j.journey_key).ok_or_else(not_found)?;
    let questions = journey.questions();
    if answers.is_empty() {
        return Err(Error::invalid("/answers", "Answer at least one question."));
    }
    let mut given: Vec<(String, String)> = Vec::new();
    let mut facts: Facts = match &j.facts_json {
        Some(f) => serde_json::from_str(f).map_err(Error::corrupt)?,
        None => Facts::new(),
    };
    for (k, v) in &j.answers {
        if let Ok(v) = serde_json::from_str(v) {
            facts.insert(k.clone(), v);
        }
    }
    for (k, v) in answers {
        let pointer = format!("/answers/{k}");
        let q = questions.iter().find(|q| &q.fact == k).ok_or_else(|| {
            let known: Vec<&str> = questions.iter().map(|q| q.fact.as_str()).collect();
            Error::invalid(
                &pointer,
                format!(
                    "`{k}` is not a question of this journey; it asks: {}",
                    known.join(", ")
                ),
            )
        })?;
        let ty = samlet_rules::ValueType::parse(&q.ty)
            .ok_or_else(|| Error::Corrupt(format!("question type {}", q.ty)))?;
        let value = serde_json::from_value::<samlet_rules::Value>(v.clone())
            .map_err(|e| e.to_string())
            .and_then(|x| ty.coerce(&x))
            .map_err(|e| Error::invalid(&pointer, format!("expected a {} answer: {e}", q.ty)))?;
        facts.insert(k.clone(), value);
        given.push((k.clone(), v.to_string()));
    }
    let mut plan = catalogue.plan(journey, j.event_date, &facts);
    // Keep done tasks, where they were, even if they no longer apply.
    let old: Vec<PlannedTask> = serde_json::from_str(&j.tasks_json).map_err(Error::corrupt)?;
    for (i, t) in old.into_iter().enumerate() {
        if j.done.iter().any(|d| d.task_id == t.id) && !plan.iter().any(|p| p.id == t.id) {
            plan.insert(i.min(plan.len()), t);
        }
    }
    let tasks_json = serde_json::to_string(&plan).map_err(Error::corrupt)?;
    if !store
        .answer_journey(journey_id, &given, &tasks_json, now)
        .await?
    {
        return Err(not_found());
    }
    let j = store.journey(journey_id).await?.ok_or_else(not_found)?;
    checklist(catalogue, j, today)
}

#[cfg(test)]
mod tests;
