//! Life events over HTTP: agencies report events and mark their tasks done; citizens see their
//! journeys (personal checklists) and proactive offers, and tick off their own tasks.

use axum::extract::{Path, State};
use axum::Json;
use chrono::{NaiveDate, Utc};
use samlet_domain::Pid;
use samlet_journeys::PlannedTask;
use samlet_store::StoredOffer;
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
    let r = samlet_app::journeys::record_event(
        &*state.store,
        &state.journeys,
        &state.rules,
        state.config.pid_policy,
        auth.agency.id,
        e.into(),
    )
    .await?;
    Ok(Json(r.into()))
}

impl From<Related> for samlet_app::journeys::Related {
    fn from(r: Related) -> Self {
        Self {
            pid: r.pid,
            relation: r.relation,
            facts: r.facts,
        }
    }
}

impl From<EventInput> for samlet_app::journeys::Event {
    fn from(e: EventInput) -> Self {
        Self {
            event_id: e.event_id,
            pid: e.pid,
            kind: e.kind,
            date: e.date,
            related: e.related.into_iter().map(Into::into).collect(),
            facts: e.facts,
            household: e.household,
        }
    }
}

impl From<samlet_app::journeys::Recorded> for EventReceipt {
    fn from(r: samlet_app::journeys::Recorded) -> Self {
        Self {
            event_id: r.event_id,
            new: r.new,
            journeys: r
                .journeys
                .into_iter()
                .map(|j| JourneyRef {
                    id: j.id,
                    journey: j.journey,
                })
                .collect(),
            offers: r.offers,
        }
    }
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
    pub offers: Vec<OfferView>,
}

/// A proactive offer: the person may be entitled to something.
#[derive(Debug, Serialize)]
pub struct OfferView {
    pub pid: String,
    pub ruleset: String,
    pub period: String,
    /// The amount as a decimal string.
    pub amount: String,
    /// What is offered, as it reads after "you may be entitled to", in the request's language.
    pub title: String,
    pub title_nb: String,
    pub title_en: String,
    /// Why the person may be entitled, in the request's language.
    pub explanation: String,
    pub explanation_nb: String,
    pub explanation_en: String,
    pub apply_url: Option<String>,
    /// `month` (a monthly amount) or `once`.
    pub unit: String,
    /// `event` or `rule-change`.
    pub reason: String,
    pub created_at: chrono::DateTime<Utc>,
}

impl OfferView {
    /// A stored offer with its texts rendered in `lang` (and in bokmål and English).
    pub fn new(catalogue: &samlet_journeys::Catalogue, o: StoredOffer, lang: Lang) -> Self {
        use samlet_app::journeys::offers::render;
        let StoredOffer { offer, created_at } = o;
        OfferView {
            title: render(catalogue, &offer.title, lang),
            title_nb: render(catalogue, &offer.title, Lang::Nb),
            title_en: render(catalogue, &offer.title, Lang::En),
            explanation: render(catalogue, &offer.explanation, lang),
            explanation_nb: render(catalogue, &offer.explanation, Lang::Nb),
            explanation_en: render(catalogue, &offer.explanation, Lang::En),
            pid: offer.pid,
            ruleset: offer.ruleset,
            period: offer.period,
            amount: offer.amount,
            apply_url: offer.apply_url,
            unit: offer.unit,
            reason: offer.reason,
            created_at,
        }
    }
}

impl JourneyView {
    /// A checklist as the API shows it, its title in `lang`.
    pub fn new(c: samlet_app::journeys::Checklist, lang: Lang) -> Self {
        let (title_nb, title_en, title) =
            (c.title_in(Lang::Nb), c.title_in(Lang::En), c.title_in(lang));
        JourneyView {
            id: c.id,
            journey: c.journey,
            title_nb,
            title_en,
            title,
            event_date: c.event_date,
            tasks: c
                .tasks
                .into_iter()
                .map(|t| TaskView {
                    task: t.task,
                    done: t.done,
                    done_at: t.done_at,
                    can_mark_done: t.can_mark_done,
                    overdue: t.overdue,
                    self_declared: t.self_declared.into_iter().map(Answered::from).collect(),
                })
                .collect(),
            done_count: c.done_count,
            questions: c
                .questions
                .into_iter()
                .map(|q| QuestionView {
                    fact: q.fact,
                    label: q.label,
                    ty: q.ty,
                    reference: q.reference,
                    answer: q.answer,
                })
                .collect(),
        }
    }
}

impl From<samlet_app::journeys::Answered> for Answered {
    fn from(a: samlet_app::journeys::Answered) -> Self {
        Answered {
            fact: a.fact,
            label: a.label,
            value: a.value,
        }
    }
}

/// The person's journeys and offers, in `lang`.
pub async fn my_journeys(state: &AppState, pid: &Pid, lang: Lang) -> ApiResult<MyJourneys> {
    let today = state.config.today();
    let journeys = samlet_app::journeys::journeys_of(&*state.store, &state.journeys, pid, today)
        .await?
        .into_iter()
        .map(|c| JourneyView::new(c, lang))
        .collect();
    let offers = samlet_app::journeys::offers::offers_of(&*state.store, pid)
        .await?
        .into_iter()
        .map(|o| OfferView::new(&state.journeys, o, lang))
        .collect();
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
    my_journeys(&state, &c.pid, lang).await.map(Json)
}

/// Task marked done.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct DoneReceipt {
    pub journey_id: String,
    pub task_id: String,
    /// False when it was already done.
    pub changed: bool,
}

impl From<samlet_app::journeys::Marked> for DoneReceipt {
    fn from(m: samlet_app::journeys::Marked) -> Self {
        DoneReceipt {
            journey_id: m.journey_id,
            task_id: m.task_id,
            changed: m.changed,
        }
    }
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
    let who = samlet_app::journeys::Marker::Agency {
        org: &auth.agency.org,
        may_write: auth.has(Scope::Write),
    };
    match samlet_app::journeys::mark_done(&*state.store, who, &journey_id, &task_id, Utc::now())
        .await
    {
        Ok(m) => Ok(Json(m.into())),
        // The token's own words say which scope is missing and why.
        Err(samlet_app::journeys::Error::Denied(samlet_app::journeys::Denied::NoWriteScope)) => {
            Err(auth.require(Scope::Write).err().map_or_else(
                || ApiError::forbidden("Writing needs the samlet:write scope."),
                ApiError::from,
            ))
        }
        Err(e) => Err(e.into()),
    }
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
    let who = samlet_app::journeys::Marker::Citizen(&c.pid);
    let m = samlet_app::journeys::mark_done(&*state.store, who, &journey_id, &task_id, Utc::now())
        .await?;
    Ok(Json(m.into()))
}

/// The citizen's answers to a journey's questions.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswersInput {
    /// Fact → value, e.g. `{"serves_alcohol": true}`: only the journey's `questions`.
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
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
    let c = samlet_app::journeys::answer(
        &*state.store,
        &state.journeys,
        &c.pid,
        &journey_id,
        &body.answers,
        Utc::now(),
        state.config.today(),
    )
    .await?;
    Ok(Json(JourneyView::new(c, lang)))
}

impl From<samlet_app::journeys::Error> for ApiError {
    fn from(e: samlet_app::journeys::Error) -> Self {
        use samlet_app::journeys::Error as E;
        match e {
            E::NotFound(m) => ApiError::not_found(m),
            E::Denied(d) => ApiError::forbidden(d.to_string()),
            E::Invalid { pointer, message } => ApiError::invalid(pointer, message),
            E::Corrupt(_) => ApiError::internal(e),
            E::Store(e) => e.into(),
        }
    }
}
