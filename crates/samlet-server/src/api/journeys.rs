//! Life events over HTTP: agencies report events and mark their tasks done; citizens see their
//! journeys (personal checklists) and proactive offers, and tick off their own tasks.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{NaiveDate, Utc};
use samlet_domain::{FieldError, Pid};
use samlet_journeys::{CompletedBy, Facts, PlannedTask};
use samlet_store::{
    DoneBy, NewHouseholdFacts, NewJourney, NewLifeEvent, NewOffer, StoredJourney, StoredOffer,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{AgencyAuth, Citizen};
use crate::extract::ApiJson;
use crate::i18n::{Lang, PageLang};
use crate::problem::{ApiError, ApiResult};
use crate::AppState;
use samlet_domain::Scope;

/// A person the event concerns besides its subject.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Related {
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
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
    #[schema(max_length = 200, pattern = r"\S")]
    pub event_id: String,
    /// The person the event is about (the deceased, the new-born child, the person moving).
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub pid: String,
    /// `death`, `birth`, `move`, `business-start`, …
    pub kind: String,
    /// The date of the event, YYYY-MM-DD.
    #[schema(schema_with = samlet_domain::items::schema::date, example = "2026-03-03")]
    pub date: NaiveDate,
    #[serde(default)]
    pub related: Vec<Related>,
    /// Facts about the subject.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub facts: serde_json::Map<String, serde_json::Value>,
    /// The household in the rules-as-code format of the offers this event triggers (offers.yaml):
    /// for child benefit after a birth, members with role, birth_date and annual_income; for the
    /// funeral grant after a death, deceased_birth_date, deceased_assets and spouse_assets. It is
    /// kept per person of the event so a changed rule set can be evaluated for them again.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
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

/// The offers an event makes (`offers.yaml`): for every person of the event and every offer
/// their relation and the event kind trigger, the offer's rule set is evaluated with the household
/// the event carries. Without a household nothing is guessed and no offer is made.
fn offers_for_event(
    state: &AppState,
    e: &EventInput,
    persons: &[(String, String, Facts)],
) -> Vec<NewOffer> {
    let Some(h) = &e.household else {
        return Vec::new();
    };
    let Ok(h) = serde_json::from_value::<samlet_rules::Household>(h.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (pid, relation, _) in persons {
        for spec in state.journeys.offers_triggered_by(&e.kind, relation) {
            let (Some(rs), Some(period)) =
                (state.rules.get(&spec.ruleset), spec.period_for(e.date))
            else {
                continue;
            };
            if let Some(o) = spec.evaluate(rs, &h, period) {
                out.push(crate::offers::new_offer(spec, pid, o, "event"));
            }
        }
    }
    out
}

/// Report a life event.
///
/// A register reports an event in a person's life (a birth, a move, a death, a business started);
/// Samlet starts the journeys that follow from it. Re-sending the same `event_id` changes nothing.
/// Needs the `samlet:write` scope.
#[utoipa::path(post, path = "/api/v1/events", tag = "agency", request_body = EventInput,
    security(("agency_token" = [])),
    responses((status = 200, body = EventReceipt), (status = 401, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_event(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(e): ApiJson<EventInput>,
) -> ApiResult<Json<EventReceipt>> {
    auth.require(Scope::Write)?;
    record_event(&state, auth.agency.id, e).await.map(Json)
}

/// Plans the journeys and offers an event gives and stores them (once per event id).
pub async fn record_event(
    state: &AppState,
    agency_id: i64,
    e: EventInput,
) -> ApiResult<EventReceipt> {
    if e.event_id.trim().is_empty() || e.event_id.chars().count() > 200 {
        return Err(ApiError::invalid(
            "/event_id",
            "Give the event an id of 1 to 200 characters.",
        ));
    }
    if e.household
        .as_ref()
        .is_some_and(|h| !h.is_object() && !h.is_null())
    {
        return Err(ApiError::invalid(
            "/household",
            "The household is an object in the rules-as-code format.",
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
    for (p, relation, facts) in &mut persons {
        facts
            .entry("relation".into())
            .or_insert_with(|| samlet_rules::Value::text(relation));
        for j in state.journeys.triggered_by(&e.kind, relation) {
            let plan = state.journeys.plan(j, e.date, facts);
            journeys.push(NewJourney {
                id: uuid::Uuid::new_v4().to_string(),
                pid: p.clone(),
                journey_key: j.id.clone(),
                event_date: e.date,
                tasks_json: serde_json::to_string(&plan).map_err(ApiError::internal)?,
                facts_json: serde_json::to_string(&*facts).map_err(ApiError::internal)?,
            });
        }
    }
    let offers = offers_for_event(state, &e, &persons);
    // The household is kept for everyone the event concerns, so that a changed rule set can be
    // evaluated for them again (`samlet offers rerun`).
    let households = match &e.household {
        Some(h) => {
            let json = h.to_string();
            persons
                .iter()
                .map(|(p, relation, _)| NewHouseholdFacts {
                    pid: p.clone(),
                    relation: relation.clone(),
                    household_json: json.clone(),
                })
                .collect()
        }
        None => Vec::new(),
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
                households,
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
    /// Facts the citizen declared that decided whether this task applies.
    pub self_declared: Vec<Answered>,
}

/// A fact the citizen declared (shown as self-declared wherever it is used).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Answered {
    pub fact: String,
    #[schema(value_type = Object)]
    pub label: samlet_journeys::Text,
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
}

/// A question no register can answer: the citizen's answer decides tasks marked "may apply".
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionView {
    pub fact: String,
    #[schema(value_type = Object)]
    pub label: samlet_journeys::Text,
    /// `boolean`, `integer`, `money`, `text`, …
    #[serde(rename = "type")]
    pub ty: String,
    pub reference: Option<String>,
    /// The citizen's answer so far (self-declared), if any.
    #[schema(value_type = Object)]
    pub answer: Option<serde_json::Value>,
}

/// A personal journey.
#[derive(Debug, Serialize, ToSchema)]
pub struct JourneyView {
    pub id: String,
    pub journey: String,
    pub title_nb: String,
    pub title_en: String,
    /// The title in the request's language (cookie, then `Accept-Language`).
    pub title: String,
    #[schema(value_type = String)]
    pub event_date: NaiveDate,
    pub tasks: Vec<TaskView>,
    pub done_count: usize,
    /// Questions the citizen can answer to decide the tasks that "may apply".
    pub questions: Vec<QuestionView>,
}

/// The citizen's journeys and offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyJourneys {
    pub journeys: Vec<JourneyView>,
    #[schema(value_type = Vec<Object>)]
    pub offers: Vec<StoredOffer>,
}

/// A stored journey as the citizen sees it, in `lang`.
pub fn view(state: &AppState, j: StoredJourney, lang: Lang) -> ApiResult<JourneyView> {
    let mut tasks: Vec<PlannedTask> = serde_json::from_str(&j.tasks_json)
        .map_err(|e| ApiError::internal(format!("stored journey {}: {e}", j.id)))?;
    let today = state.config.today();
    let journey = state.journeys.journey(&j.journey_key);
    // A plan keeps the texts it was made with; the catalogue's current texts replace them, so a
    // plan stored before a language was added reads in that language too.
    if let Some(c) = journey {
        for t in &mut tasks {
            if let Some(ct) = c.tasks.iter().find(|ct| ct.id == t.id) {
                t.title = ct.title.clone();
                t.description = ct.description.clone();
            }
            if let Some(a) = state.journeys.agencies.get(&t.agency.key) {
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
    let tasks: Vec<TaskView> = tasks
        .into_iter()
        .map(|t| {
            let done = j.done.iter().find(|d| d.task_id == t.id);
            TaskView {
                done: done.is_some(),
                done_at: done.map(|d| d.done_at),
                can_mark_done: done.is_none() && t.completed_by == CompletedBy::Citizen,
                overdue: done.is_none() && t.due.is_some_and(|d| d < today),
                self_declared: self_declared(&t.id),
                task: t,
            }
        })
        .collect();
    let title_in =
        |l: Lang| journey.map_or_else(|| j.journey_key.clone(), |c| c.title.get(l).to_owned());
    let (title_nb, title_en, title) = (title_in(Lang::Nb), title_in(Lang::En), title_in(lang));
    let questions = questions
        .into_iter()
        .map(|q| QuestionView {
            answer: answer(&q.fact),
            fact: q.fact,
            label: q.label,
            ty: q.ty,
            reference: q.reference,
        })
        .collect();
    Ok(JourneyView {
        questions,
        id: j.id,
        journey: j.journey_key,
        title_nb,
        title_en,
        title,
        event_date: j.event_date,
        done_count: tasks.iter().filter(|t| t.done).count(),
        tasks,
    })
}

pub async fn my_journeys(state: &AppState, c: &Citizen, lang: Lang) -> ApiResult<MyJourneys> {
    let journeys = state
        .store
        .journeys_for(c.pid.as_str())
        .await?
        .into_iter()
        .map(|j| view(state, j, lang))
        .collect::<ApiResult<Vec<_>>>()?;
    let offers = state.store.offers_for(c.pid.as_str()).await?;
    Ok(MyJourneys { journeys, offers })
}

/// My journeys and offers.
///
/// The logged-in person's life-event journeys with their tasks, and the offers they may be
/// entitled to.
#[utoipa::path(get, path = "/api/v1/me/journeys", tag = "citizen",
    security(("session_cookie" = [])),
    responses((status = 200, body = MyJourneys), (status = 401, body = crate::problem::Problem)))]
pub async fn me_journeys(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
) -> ApiResult<Json<MyJourneys>> {
    my_journeys(&state, &c, lang).await.map(Json)
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
                t.agency.name.get(Lang::Nb)
            )))
        }
        Marker::Citizen(_) => DoneBy::Citizen,
        Marker::Agency(a) => {
            a.require(Scope::Write)?;
            if a.agency.org.as_str() != t.agency.org {
                return Err(ApiError::forbidden(format!(
                    "Task `{task_id}` belongs to {} ({}), not to your organisation.",
                    t.agency.name.get(Lang::En),
                    t.agency.org
                )));
            }
            DoneBy::Agency(a.agency.org.clone())
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

/// An agency marks a task done.
///
/// The agency that owns a journey task reports it done; other agencies' tasks are refused.
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

/// Mark one of my tasks done.
///
/// The logged-in person marks a task of theirs done that they do themselves (not one an agency
/// does).
#[utoipa::path(post, path = "/api/v1/me/journeys/{journey_id}/tasks/{task_id}/done", tag = "citizen",
    params(("journey_id" = String, Path), ("task_id" = String, Path)),
    security(("session_cookie" = [])),
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON, e.g. `{}`: the JSON content type is what keeps cross-site forms out"),
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

/// The citizen's answers to a journey's questions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersInput {
    /// Fact → value, e.g. `{"serves_alcohol": true}`: only the journey's `questions`.
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
}

/// Stores the citizen's answers (self-declared) and plans the journey again with them. Tasks
/// already done stay on the checklist even if an answer means they no longer apply.
pub async fn answer(
    state: &AppState,
    c: &Citizen,
    journey_id: &str,
    answers: &serde_json::Map<String, serde_json::Value>,
    lang: Lang,
) -> ApiResult<JourneyView> {
    let not_found = || ApiError::not_found(format!("There is no journey `{journey_id}`."));
    let j = state
        .store
        .journey(journey_id)
        .await?
        .filter(|j| j.pid == c.pid.as_str())
        .ok_or_else(not_found)?;
    let journey = state
        .journeys
        .journey(&j.journey_key)
        .ok_or_else(not_found)?;
    let questions = journey.questions();
    if answers.is_empty() {
        return Err(ApiError::invalid(
            "/answers",
            "Answer at least one question.",
        ));
    }
    let mut given: Vec<(String, String)> = Vec::new();
    let mut facts: Facts = match &j.facts_json {
        Some(f) => serde_json::from_str(f).map_err(ApiError::internal)?,
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
            ApiError::invalid(
                &pointer,
                format!(
                    "`{k}` is not a question of this journey; it asks: {}",
                    known.join(", ")
                ),
            )
        })?;
        let ty = samlet_rules::ValueType::parse(&q.ty).ok_or_else(|| ApiError::internal(&q.ty))?;
        let value = serde_json::from_value::<samlet_rules::Value>(v.clone())
            .map_err(|e| e.to_string())
            .and_then(|x| ty.coerce(&x))
            .map_err(|e| ApiError::invalid(&pointer, format!("expected a {} answer: {e}", q.ty)))?;
        facts.insert(k.clone(), value);
        given.push((k.clone(), v.to_string()));
    }
    let mut plan = state.journeys.plan(journey, j.event_date, &facts);
    // Keep done tasks, where they were, even if they no longer apply.
    let old: Vec<PlannedTask> = serde_json::from_str(&j.tasks_json).map_err(ApiError::internal)?;
    for (i, t) in old.into_iter().enumerate() {
        if j.done.iter().any(|d| d.task_id == t.id) && !plan.iter().any(|p| p.id == t.id) {
            plan.insert(i.min(plan.len()), t);
        }
    }
    let tasks_json = serde_json::to_string(&plan).map_err(ApiError::internal)?;
    if !state
        .store
        .answer_journey(journey_id, &given, &tasks_json, Utc::now())
        .await?
    {
        return Err(not_found());
    }
    let j = state
        .store
        .journey(journey_id)
        .await?
        .ok_or_else(not_found)?;
    view(state, j, lang)
}

/// Answer a journey's questions.
///
/// The logged-in person answers the questions no register can, and the journey's tasks and offers
/// follow from the answers.
#[utoipa::path(post, path = "/api/v1/me/journeys/{journey_id}/answers", tag = "citizen",
    params(("journey_id" = String, Path)),
    request_body = AnswersInput,
    security(("session_cookie" = [])),
    responses((status = 200, body = JourneyView), (status = 404, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn citizen_answers(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    c: Citizen,
    Path(journey_id): Path<String>,
    ApiJson(body): ApiJson<AnswersInput>,
) -> ApiResult<Json<JourneyView>> {
    answer(&state, &c, &journey_id, &body.answers, lang)
        .await
        .map(Json)
}
