//! Life events over HTTP: agencies report events and mark their tasks done; citizens see their
//! journeys (personal checklists) and proactive offers, and tick off their own tasks.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{Datelike, NaiveDate, Utc};
use samlet_domain::{FieldError, Pid};
use samlet_journeys::{CompletedBy, Facts, PlannedTask};
use samlet_store::{NewJourney, NewLifeEvent, NewOffer, StoredJourney, StoredOffer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{AgencyAuth, Citizen, SCOPE_WRITE};
use crate::extract::ApiJson;
use crate::problem::{ApiError, ApiResult};
use crate::AppState;

/// A person the event concerns besides its subject.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Related {
    pub pid: String,
    /// How they relate to the subject: `spouse`, `parent`, `child`, …
    pub relation: String,
    /// Facts about this person (names from the catalogue's facts.yaml).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub facts: serde_json::Map<String, serde_json::Value>,
}

/// An event reported by an agency.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// The agency's id of the event: reporting it again changes nothing.
    pub event_id: String,
    /// The person the event is about (the deceased, the new-born child, the person moving).
    pub pid: String,
    /// `death`, `birth`, `move`, `business-start`, …
    pub kind: String,
    /// The date of the event, YYYY-MM-DD.
    #[schema(value_type = String, example = "2026-03-03")]
    pub date: NaiveDate,
    #[serde(default)]
    pub related: Vec<Related>,
    /// Facts about the subject.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub facts: serde_json::Map<String, serde_json::Value>,
    /// The household in the rules-as-code format, for proactive offers (e.g. child benefit after
    /// a birth): members with role, birth_date and annual_income from the authoritative sources.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub household: Option<serde_json::Value>,
}

/// What an event started.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct EventReceipt {
    pub event_id: String,
    /// False when the event had been reported before (nothing changed).
    pub new: bool,
    /// Journeys started: id and catalogue key.
    pub journeys: Vec<JourneyRef>,
    /// Number of proactive offers made.
    pub offers: usize,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JourneyRef {
    pub id: String,
    pub journey: String,
}

fn facts_of(map: &serde_json::Map<String, serde_json::Value>, pointer: &str) -> ApiResult<Facts> {
    map.iter()
        .map(|(k, v)| {
            serde_json::from_value(v.clone())
                .map(|v| (k.clone(), v))
                .map_err(|e| ApiError::invalid(format!("{pointer}/{k}"), e.to_string()))
        })
        .collect()
}

fn pid(state: &AppState, s: &str, pointer: &str) -> ApiResult<Pid> {
    Pid::parse(s, state.config.pid_policy)
        .map_err(|e| FieldError::new(pointer, e.to_string()).into())
}

/// Child benefit runs from the month after the birth.
fn month_after(d: NaiveDate) -> Option<samlet_rules::Period> {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    samlet_rules::Period::month(y, m)
}

/// Offers a birth gives the parents: child benefit, evaluated with the rules engine for the
/// household the event carries (or nothing when it carries none).
fn offers_for_birth(state: &AppState, e: &EventInput, parents: &[String]) -> Vec<NewOffer> {
    let (Some(h), Some(rs), Some(period)) = (
        &e.household,
        state.rules.get("child-benefit"),
        month_after(e.date),
    ) else {
        return Vec::new();
    };
    let Ok(h) = serde_json::from_value::<samlet_rules::Household>(h.clone()) else {
        return Vec::new();
    };
    let Ok(ev) = rs.evaluate(&h, period) else {
        return Vec::new();
    };
    let Some(amount) = ev
        .get("child_benefit")
        .and_then(|v| v.as_number())
        .filter(|d| d.is_sign_positive() && !d.is_zero())
    else {
        return Vec::new();
    };
    parents
        .iter()
        .map(|p| NewOffer {
            pid: p.clone(),
            ruleset: rs.id().to_owned(),
            period: period.to_string(),
            amount: amount.normalize().to_string(),
            explanation_nb: ev.explanation(samlet_rules::Lang::Nb),
            explanation_en: ev.explanation(samlet_rules::Lang::En),
            apply_url: Some("https://www.nav.no/barnetrygd".to_owned()),
        })
        .collect()
}

#[utoipa::path(post, path = "/api/v1/events", tag = "agency", request_body = EventInput,
    security(("agency_token" = [])),
    responses((status = 200, body = EventReceipt), (status = 401, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_event(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(e): ApiJson<EventInput>,
) -> ApiResult<Json<EventReceipt>> {
    auth.require(SCOPE_WRITE)?;
    record_event(&state, auth.agency.id, e).await.map(Json)
}

/// Plans the journeys and offers an event gives and stores them (once per event id).
pub async fn record_event(
    state: &AppState,
    agency_id: i64,
    e: EventInput,
) -> ApiResult<EventReceipt> {
    if e.event_id.trim().is_empty() || e.event_id.len() > 200 {
        return Err(ApiError::invalid(
            "/event_id",
            "Give the event an id of 1 to 200 characters.",
        ));
    }
    let subject = pid(state, &e.pid, "/pid")?;
    let mut persons: Vec<(String, String, Facts)> = vec![(
        subject.as_str().to_owned(),
        "self".to_owned(),
        facts_of(&e.facts, "/facts")?,
    )];
    for (i, r) in e.related.iter().enumerate() {
        let p = pid(state, &r.pid, &format!("/related/{i}/pid"))?;
        let mut f = facts_of(&r.facts, &format!("/related/{i}/facts"))?;
        f.insert("relation".into(), samlet_rules::Value::text(&r.relation));
        persons.push((p.as_str().to_owned(), r.relation.clone(), f));
    }
    let mut journeys = Vec::new();
    for (p, relation, facts) in &persons {
        let mut facts = facts.clone();
        facts
            .entry("relation".into())
            .or_insert_with(|| samlet_rules::Value::text(relation));
        for j in state.journeys.triggered_by(&e.kind, relation) {
            let plan = state.journeys.plan(j, e.date, &facts);
            journeys.push(NewJourney {
                id: uuid::Uuid::new_v4().to_string(),
                pid: p.clone(),
                journey_key: j.id.clone(),
                event_date: e.date,
                tasks_json: serde_json::to_string(&plan).map_err(ApiError::internal)?,
            });
        }
    }
    let offers = if e.kind == "birth" {
        let parents: Vec<String> = persons
            .iter()
            .filter(|(_, r, _)| r == "parent")
            .map(|(p, _, _)| p.clone())
            .collect();
        offers_for_birth(state, &e, &parents)
    } else {
        Vec::new()
    };
    let body = serde_json::json!({"kind": e.kind, "related": e.related.len()}).to_string();
    let new = state
        .store
        .record_life_event(
            agency_id,
            &NewLifeEvent {
                event_id: e.event_id.clone(),
                pid: subject.as_str().to_owned(),
                kind: e.kind.clone(),
                date: e.date,
                body,
            },
            &journeys,
            &offers,
        )
        .await?;
    Ok(EventReceipt {
        event_id: e.event_id,
        new,
        journeys: if new {
            journeys
                .iter()
                .map(|j| JourneyRef {
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

/// One task on a person's checklist.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskView {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub task: PlannedTask,
    pub done: bool,
    pub done_at: Option<chrono::DateTime<Utc>>,
    /// The citizen can tick it off (a task completed by the citizen, not yet done).
    pub can_mark_done: bool,
    /// Past its due date and not done.
    pub overdue: bool,
}

/// A personal journey.
#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyView {
    pub id: String,
    pub journey: String,
    pub title_nb: String,
    pub title_en: String,
    #[schema(value_type = String)]
    pub event_date: NaiveDate,
    pub tasks: Vec<TaskView>,
    pub done_count: usize,
}

/// The citizen's journeys and offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyJourneys {
    pub journeys: Vec<JourneyView>,
    #[schema(value_type = Vec<Object>)]
    pub offers: Vec<StoredOffer>,
}

pub fn view(state: &AppState, j: StoredJourney) -> ApiResult<JourneyView> {
    let tasks: Vec<PlannedTask> = serde_json::from_str(&j.tasks_json)
        .map_err(|e| ApiError::internal(format!("stored journey {}: {e}", j.id)))?;
    let today = crate::api::me::today();
    let tasks: Vec<TaskView> = tasks
        .into_iter()
        .map(|t| {
            let done = j.done.iter().find(|d| d.task_id == t.id);
            TaskView {
                done: done.is_some(),
                done_at: done.map(|d| d.done_at),
                can_mark_done: done.is_none() && t.completed_by == CompletedBy::Citizen,
                overdue: done.is_none() && t.due.is_some_and(|d| d < today),
                task: t,
            }
        })
        .collect();
    let (title_nb, title_en) = state
        .journeys
        .journey(&j.journey_key)
        .map(|c| (c.title.nb.clone(), c.title.en.clone()))
        .unwrap_or_else(|| (j.journey_key.clone(), j.journey_key.clone()));
    Ok(JourneyView {
        id: j.id,
        journey: j.journey_key,
        title_nb,
        title_en,
        event_date: j.event_date,
        done_count: tasks.iter().filter(|t| t.done).count(),
        tasks,
    })
}

pub async fn my_journeys(state: &AppState, c: &Citizen) -> ApiResult<MyJourneys> {
    let journeys = state
        .store
        .journeys_for(c.pid.as_str())
        .await?
        .into_iter()
        .map(|j| view(state, j))
        .collect::<ApiResult<Vec<_>>>()?;
    let offers = state.store.offers_for(c.pid.as_str()).await?;
    Ok(MyJourneys { journeys, offers })
}

#[utoipa::path(get, path = "/api/v1/me/journeys", tag = "citizen",
    security(("session_cookie" = [])),
    responses((status = 200, body = MyJourneys), (status = 401, body = crate::problem::Problem)))]
pub async fn me_journeys(State(state): State<AppState>, c: Citizen) -> ApiResult<Json<MyJourneys>> {
    my_journeys(&state, &c).await.map(Json)
}

/// Task marked done.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DoneReceipt {
    pub journey_id: String,
    pub task_id: String,
    /// False when it was already done.
    pub changed: bool,
}

/// Who is marking a task done.
pub enum Marker<'a> {
    Citizen(&'a Citizen),
    Agency(&'a AgencyAuth),
}

pub async fn mark_done(
    state: &AppState,
    who: Marker<'_>,
    journey_id: &str,
    task_id: &str,
) -> ApiResult<DoneReceipt> {
    let not_found = || {
        ApiError::not_found(format!(
            "There is no task `{task_id}` in journey `{journey_id}`."
        ))
    };
    let j = state
        .store
        .journey(journey_id)
        .await?
        .ok_or_else(not_found)?;
    if let Marker::Citizen(c) = &who {
        if j.pid != c.pid.as_str() {
            return Err(not_found());
        }
    }
    let tasks: Vec<PlannedTask> =
        serde_json::from_str(&j.tasks_json).map_err(ApiError::internal)?;
    let t = tasks
        .iter()
        .find(|t| t.id == task_id)
        .ok_or_else(not_found)?;
    let by = match who {
        Marker::Citizen(_) if t.completed_by != CompletedBy::Citizen => {
            return Err(ApiError::forbidden(format!(
                "{} marks this task done, not you.",
                t.agency.name.nb
            )))
        }
        Marker::Citizen(_) => "citizen".to_owned(),
        Marker::Agency(a) => {
            a.require(SCOPE_WRITE)?;
            if a.agency.org.as_str() != t.agency.org {
                return Err(ApiError::forbidden(format!(
                    "Task `{task_id}` belongs to {} ({}), not to your organisation.",
                    t.agency.name.en, t.agency.org
                )));
            }
            a.agency.org.to_string()
        }
    };
    let changed = state
        .store
        .set_task_done(journey_id, task_id, &by, Utc::now())
        .await?;
    Ok(DoneReceipt {
        journey_id: journey_id.to_owned(),
        task_id: task_id.to_owned(),
        changed,
    })
}

#[utoipa::path(post, path = "/api/v1/journeys/{journey_id}/tasks/{task_id}/done", tag = "agency",
    params(("journey_id" = String, Path), ("task_id" = String, Path)),
    security(("agency_token" = [])),
    responses((status = 200, body = DoneReceipt), (status = 403, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem)))]
pub async fn agency_done(
    State(state): State<AppState>,
    auth: AgencyAuth,
    Path((journey_id, task_id)): Path<(String, String)>,
) -> ApiResult<Json<DoneReceipt>> {
    mark_done(&state, Marker::Agency(&auth), &journey_id, &task_id)
        .await
        .map(Json)
}

#[utoipa::path(post, path = "/api/v1/me/journeys/{journey_id}/tasks/{task_id}/done", tag = "citizen",
    params(("journey_id" = String, Path), ("task_id" = String, Path)),
    security(("session_cookie" = [])),
    responses((status = 200, body = DoneReceipt), (status = 403, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem)))]
pub async fn citizen_done(
    State(state): State<AppState>,
    c: Citizen,
    Path((journey_id, task_id)): Path<(String, String)>,
    ApiJson(_body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<DoneReceipt>> {
    mark_done(&state, Marker::Citizen(&c), &journey_id, &task_id)
        .await
        .map(Json)
}
