//! The JSON API of representation and consent.
//!
//! Citizen (session cookie): `POST/GET /api/v1/me/mandates`,
//! `DELETE /api/v1/me/mandates/{id}`, `GET /api/v1/represented`,
//! `GET /api/v1/represented/{pid}/overview`, `GET /api/v1/me/consent-requests`,
//! `POST /api/v1/me/consent-requests/{id}/approve|decline`, `DELETE /api/v1/me/consents/{id}`.
//! Agencies (bearer token, own scopes): `POST /api/v1/guardianships`,
//! `DELETE /api/v1/guardianships/{id}`, `POST /api/v1/population/parental`,
//! `POST /api/v1/population/names`, `POST /api/v1/consent-requests`,
//! `GET /api/v1/share/{pid}/{category}`, `GET /api/v1/persons/{pid}/representation`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use samlet_access::{Action, Scope, CATEGORIES};
use samlet_domain::{OrgNumber, Pid};
use samlet_store::{ConsentAnswer, StoredConsent, StoredRepresentation};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use samlet_app::represent::mandates;
use samlet_app::represent::{self, authorities, consent};

use super::{denied, represented_overview, request_id};
// The agency's granted scope, not a representation's area scope.
use crate::auth::{AgencyAuth, Citizen};
use crate::extract::ApiJson;
use crate::extract::{header_text, required};
use crate::problem::{ApiError, ApiResult};
use crate::AppState;
use samlet_app::transparency::entry::Accessor;
use samlet_domain::Scope as AgencyScope;

/// Most people per page of the representative's list.
pub const REPRESENTED_PAGE: u32 = 50;

// ---------- views ----------

/// A power of attorney, guardianship or parental relation.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct RepresentationView {
    pub id: String,
    /// `mandate`, `guardianship` or `parental`.
    pub kind: String,
    /// The represented person.
    pub from_pid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    /// The representative.
    pub to_pid: String,
    /// The representative's name from the population register, when known
    /// (filled in the giver's list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_name: Option<String>,
    /// Areas (`health`, `tax`, `benefits` …), service ids, or `all`.
    pub scopes: Vec<String>,
    /// `read` and/or `act`.
    pub actions: Vec<String>,
    pub valid_from: DateTime<Utc>,
    pub valid_to: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// `active`, `not_yet_valid`, `expired` or `revoked`.
    #[schema(schema_with = crate::schema::representation_state)]
    pub state: String,
    /// `citizen` or the registering agency's organisation number.
    pub registered_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

pub fn representation_view(r: &StoredRepresentation, now: DateTime<Utc>) -> RepresentationView {
    let state = if r.revoked_at.is_some_and(|t| t <= now) {
        "revoked"
    } else if r.valid_to.is_some_and(|t| t <= now) {
        "expired"
    } else if r.valid_from > now {
        "not_yet_valid"
    } else {
        "active"
    };
    RepresentationView {
        id: r.id.clone(),
        kind: r.kind.as_str().to_owned(),
        from_pid: r.subject_pid.clone(),
        from_name: r.subject_name.clone(),
        to_pid: r.representative_pid.clone(),
        to_name: None,
        scopes: r.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
        actions: r.actions.iter().map(|a| a.as_str().to_owned()).collect(),
        valid_from: r.valid_from,
        valid_to: r.valid_to,
        revoked_at: r.revoked_at,
        state: state.into(),
        registered_by: r.registered_by.clone(),
        reference: r.reference.clone(),
    }
}

/// A consent request, and once approved the consent (same id).
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct ConsentView {
    pub id: String,
    /// Who asks and may read (organisation number and name).
    pub requester_org: String,
    pub requester_name: String,
    /// Who holds the data.
    pub from_org: String,
    pub from_name: String,
    /// `cases`, `deadlines`, `benefits`, `messages`.
    pub categories: Vec<String>,
    pub purpose: String,
    pub valid_to: DateTime<Utc>,
    /// `pending`, `approved`, `declined`, `revoked` or `expired`.
    pub state: String,
    pub decided_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

pub fn consent_view(c: &StoredConsent, now: DateTime<Utc>) -> ConsentView {
    let state = samlet_app::represent::consent_state(c, now).to_owned();
    ConsentView {
        id: c.id.clone(),
        requester_org: c.requester_org.clone(),
        requester_name: c.requester_name.clone(),
        from_org: c.from_org.clone(),
        from_name: c.from_name.clone(),
        categories: c.categories.clone(),
        purpose: c.purpose.clone(),
        valid_to: c.valid_to,
        state,
        decided_at: c.decided_at,
        revoked_at: c.revoked_at,
        created_at: c.created_at,
    }
}

pub(crate) fn parse_pid(state: &AppState, s: &str, pointer: &str) -> ApiResult<Pid> {
    Pid::parse(s, state.config.pid_policy).map_err(|e| ApiError::invalid(pointer, e.to_string()))
}

fn parse_scopes(v: &[String], pointer: &str) -> ApiResult<Vec<Scope>> {
    let mut out: Vec<Scope> = Vec::new();
    for (i, s) in v.iter().enumerate() {
        let s = Scope::parse(s)
            .map_err(|e| ApiError::invalid(format!("{pointer}/{i}"), e.to_string()))?;
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

fn parse_actions(v: &[String], pointer: &str) -> ApiResult<Vec<Action>> {
    let mut out = Vec::new();
    for (i, a) in v.iter().enumerate() {
        let a = Action::parse(a).ok_or_else(|| {
            ApiError::invalid(
                format!("{pointer}/{i}"),
                "An action is \"read\" or \"act\".",
            )
        })?;
        if !out.contains(&a) {
            out.push(a);
        }
    }
    Ok(out)
}

/// A date (`2026-12-31`, the start of that day) or a timestamp.
#[derive(Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum When {
    At(DateTime<Utc>),
    Day(NaiveDate),
}

impl When {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            When::At(t) => *t,
            When::Day(d) => d
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc())
                .unwrap_or_default(),
        }
    }

    /// As an end: a day means up to and including that day.
    pub fn end(&self) -> DateTime<Utc> {
        match self {
            When::At(t) => *t,
            When::Day(d) => d
                .succ_opt()
                .and_then(|n| n.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
                .unwrap_or_default(),
        }
    }
}

// ---------- mandates (citizen) ----------

#[derive(Deserialize, ToSchema, Debug)]
pub struct NewMandate {
    /// The representative's identity number (an adult).
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub to_pid: String,
    /// The representative's surname, as in the population register (case and
    /// accents do not matter). A number and surname that do not belong
    /// together are refused exactly as an unknown person is.
    pub to_surname: String,
    /// Areas (`health`, `tax`, `benefits`, `work`, `family`, `housing`, `education`, `transport`),
    /// service ids, or `all`.
    pub scopes: Vec<String>,
    /// `read` (see) and/or `act` (which includes seeing).
    pub actions: Vec<String>,
    /// Default: now.
    #[schema(schema_with = samlet_domain::items::schema::opt_date_or_time)]
    pub valid_from: Option<When>,
    /// Default: until revoked. A day means up to and including that day.
    #[schema(schema_with = samlet_domain::items::schema::opt_date_or_time)]
    pub valid_to: Option<When>,
}

/// Give a power of attorney.
///
/// Give a power of attorney. The giver must be of age (18 in Norway, 15 in
/// Denmark; configurable), the representative an adult.
#[utoipa::path(post, path = "/api/v1/me/mandates", tag = "representation", request_body = NewMandate,
    security(("session_cookie" = [])),
    responses((status = 201, body = RepresentationView), (status = 401, body = crate::problem::Problem),
        (status = 403, description = "Refused by the policy, e.g. too young", body = crate::problem::Problem),
        (status = 422, description = "A field is invalid, or no person has this identity number and surname (`unknown-person`)", body = crate::problem::Problem),
        (status = 429, description = "Too many mandates or person checks in a short time; see Retry-After", body = crate::problem::Problem)))]
pub async fn post_mandate(
    State(state): State<AppState>,
    citizen: Citizen,
    ApiJson(body): ApiJson<NewMandate>,
) -> ApiResult<(StatusCode, Json<RepresentationView>)> {
    let view = give_mandate(&state, &citizen, &body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

pub async fn give_mandate(
    state: &AppState,
    citizen: &Citizen,
    body: &NewMandate,
) -> ApiResult<RepresentationView> {
    let giver = state.pseudo.of(&citizen.pid).to_string();
    state.limits.mandate.check(&giver)?;
    let to = parse_pid(state, body.to_pid.trim(), "/to_pid")?;
    let scopes = parse_scopes(&body.scopes, "/scopes")?;
    let actions = parse_actions(&body.actions, "/actions")?;
    let now = Utc::now();
    let m = mandates::NewMandate {
        to,
        scopes,
        actions,
        valid_from: body.valid_from.as_ref().map(When::at).unwrap_or(now),
        valid_to: body.valid_to.as_ref().map(When::end),
    };
    mandates::check_mandate(&state.config.representation_rules, &citizen.pid, &m, now).map_err(
        |e| match e {
            represent::Error::Denied(r) => {
                let pointer = match r {
                    samlet_access::DenyReason::NoScopes => "/scopes",
                    samlet_access::DenyReason::NoActions => "/actions",
                    samlet_access::DenyReason::BadPeriod => "/valid_to",
                    _ => "/to_pid",
                };
                denied(&r).at(pointer)
            }
            other => other.into(),
        },
    )?;
    // Last, so the answers above (which read nothing but the numbers
    // themselves) come first and this one says only "found or not".
    let asker = state.pseudo.of(&citizen.pid);
    state.limits.person_lookup.check(&asker.to_string())?;
    let store = state.store.as_ref();
    mandates::check_person(store, &state.pseudo, &citizen.pid, &m.to, &body.to_surname).await?;
    let stored = mandates::record_mandate(store, &state.pseudo, &citizen.pid, m, now).await?;
    Ok(representation_view(&stored, now))
}

/// The refusal for a number and surname that do not belong together, and
/// for a number nobody has: one and the same, so this cannot look names up.
pub fn unknown_person() -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        UNKNOWN_PERSON,
        "Unknown person",
        "We find no person with this identity number and surname. Check both.",
    )
    .at("/to_pid")
}

/// The problem slug of [`unknown_person`] (pages show it in their language).
pub const UNKNOWN_PERSON: &str = "unknown-person";

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct MyMandates {
    /// Given by me (or registered over me: guardianship, parental authority), newest first.
    pub given: Vec<RepresentationView>,
    /// Received by me, newest first (at most 200; the full list is `GET /api/v1/represented`).
    pub received: Vec<RepresentationView>,
}

pub async fn my_mandates(state: &AppState, citizen: &Citizen) -> ApiResult<MyMandates> {
    let now = Utc::now();
    let m = mandates::mandates_of(state.store.as_ref(), &citizen.pid, 200).await?;
    Ok(MyMandates {
        given: m
            .given
            .iter()
            .map(|(r, name)| RepresentationView {
                to_name: name.clone(),
                ..representation_view(r, now)
            })
            .collect(),
        received: m
            .received
            .iter()
            .map(|r| representation_view(r, now))
            .collect(),
    })
}

/// My mandates.
///
/// Mandates I have given and received.
#[utoipa::path(get, path = "/api/v1/me/mandates", tag = "representation",
    security(("session_cookie" = [])),
    responses((status = 200, body = MyMandates), (status = 401, body = crate::problem::Problem)))]
pub async fn get_mandates(
    State(state): State<AppState>,
    citizen: Citizen,
) -> ApiResult<Json<MyMandates>> {
    Ok(Json(my_mandates(&state, &citizen).await?))
}

/// End a mandate at once: the giver revokes it, or the representative
/// resigns. Guardianships and parental authority end through their authority.
pub async fn end_mandate(state: &AppState, citizen: &Citizen, id: &str) -> ApiResult<()> {
    Ok(mandates::end_mandate(state.store.as_ref(), &state.pseudo, &citizen.pid, id).await?)
}

/// Revoke a mandate.
///
/// Revoke a mandate (effective at once).
#[utoipa::path(delete, path = "/api/v1/me/mandates/{id}", tag = "representation",
    params(("id" = String, Path, description = "The mandate's id")),
    security(("session_cookie" = [])),
    responses((status = 204, description = "Revoked"), (status = 403, body = crate::problem::Problem),
        (status = 404, body = crate::problem::Problem), (status = 409, body = crate::problem::Problem)))]
pub async fn delete_mandate(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    end_mandate(&state, &citizen, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------- the representative's side ----------

#[derive(Deserialize, IntoParams, Debug, Default)]
#[into_params(parameter_in = Query)]
pub struct RepresentedQuery {
    /// Part of the name, or the start of the identity number.
    pub q: Option<String>,
    /// 1-based page number.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u32>,
    /// People per page, at most 50.
    #[param(minimum = 1, maximum = 50)]
    pub per_page: Option<u32>,
}

/// One person I act for, with every basis valid now taken together.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct RepresentedPerson {
    pub pid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The kinds of the valid bases: `mandate`, `guardianship`, `parental`.
    pub kinds: Vec<String>,
    /// What they cover together: `all`, or areas and service ids.
    pub scopes: Vec<String>,
    /// What they allow together: `read`, and `act` when any basis allows acting.
    pub actions: Vec<String>,
    /// When the last of them ends; absent while one runs until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<DateTime<Utc>>,
    /// Every valid basis: a mandate, guardianship or parental relation.
    pub bases: Vec<RepresentationView>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct RepresentedPage {
    /// One entry per person, by name.
    pub people: Vec<RepresentedPerson>,
    pub page: u32,
    pub per_page: u32,
    pub next_page: Option<u32>,
}

/// One person's rows (all valid in SQL) as the policy sees them: `None` when
/// no basis allows even reading (the policy has the last word).
fn represented_person(r: &represent::Represented, now: DateTime<Utc>) -> Option<RepresentedPerson> {
    let first = r.bases.first()?;
    let bases: Vec<RepresentationView> = r
        .bases
        .iter()
        .map(|b| representation_view(b, now))
        .collect();
    let mut actions: Vec<String> = vec![Action::Read.as_str().into()];
    if bases
        .iter()
        .any(|b| b.actions.iter().any(|a| a == Action::Act.as_str()))
    {
        actions.push(Action::Act.as_str().into());
    }
    let valid_to = if bases.iter().any(|b| b.valid_to.is_none()) {
        None
    } else {
        bases.iter().filter_map(|b| b.valid_to).max()
    };
    Some(RepresentedPerson {
        pid: first.subject_pid.clone(),
        name: first.subject_name.clone(),
        kinds: r
            .granted
            .kinds
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        scopes: r.granted.scopes.labels(),
        actions,
        valid_to,
        bases,
    })
}

pub async fn represented_page(
    state: &AppState,
    citizen: &Citizen,
    q: &RepresentedQuery,
) -> ApiResult<RepresentedPage> {
    let page = crate::extract::bounded(q.page, 1, crate::extract::MAX_PAGE, "page")?;
    let per_page = crate::extract::bounded(q.per_page, 20, REPRESENTED_PAGE, "per_page")?;
    let now = Utc::now();
    let (people, more) = represent::represented_page(
        state.store.as_ref(),
        &state.config.representation_rules,
        &citizen.pid,
        q.q.as_deref().unwrap_or(""),
        page,
        per_page,
        now,
    )
    .await?;
    let next_page = more.then_some(page + 1);
    let people = people
        .iter()
        .filter_map(|r| represented_person(r, now))
        .collect();
    Ok(RepresentedPage {
        people,
        page,
        per_page,
        next_page,
    })
}

/// The people I act for.
///
/// The people I act for (power of attorney, guardianship, parental authority), by name.
#[utoipa::path(get, path = "/api/v1/represented", tag = "representation", params(RepresentedQuery),
    security(("session_cookie" = [])),
    responses((status = 200, body = RepresentedPage), (status = 401, body = crate::problem::Problem)))]
pub async fn get_represented(
    State(state): State<AppState>,
    citizen: Citizen,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<RepresentedQuery>,
) -> ApiResult<Json<RepresentedPage>> {
    Ok(Json(represented_page(&state, &citizen, &q).await?))
}

#[derive(Serialize, ToSchema, Debug)]
pub struct RepresentedOverview {
    pub pid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The valid bases (ids) this view rests on.
    pub basis_ids: Vec<String>,
    /// `mandate`, `guardianship`, `parental`.
    pub kinds: Vec<String>,
    /// What the view covers: `all`, areas and service ids.
    pub scopes: Vec<String>,
    /// The person's overview, within scope.
    pub overview: crate::api::types::Overview,
}

/// The overview of someone I act for.
///
/// A person's overview as their representative sees it: within the scope
/// of the valid bases only, and logged as "X on behalf of Y" (the person
/// sees it in their access log) before any data is read.
#[utoipa::path(get, path = "/api/v1/represented/{pid}/overview", tag = "representation",
    params(("pid" = String, Path, description = "The represented person's identity number", pattern = r"^[0-9]{11}$")),
    security(("session_cookie" = [])),
    responses((status = 200, body = RepresentedOverview), (status = 401, body = crate::problem::Problem),
        (status = 403, description = "No valid basis; the reason code is in `type`", body = crate::problem::Problem),
        (status = 422, body = crate::problem::Problem)))]
pub async fn get_represented_overview(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(pid): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<RepresentedOverview>> {
    let subject = parse_pid(&state, &pid, "/path/pid")?;
    let (granted, overview) =
        represented_overview(&state, &headers, &citizen.pid, &subject).await?;
    Ok(Json(RepresentedOverview {
        pid: subject.to_string(),
        name: state.store.person_name(subject.as_str()).await?,
        basis_ids: granted.ids,
        kinds: granted
            .kinds
            .iter()
            .map(|k| k.as_str().to_owned())
            .collect(),
        scopes: granted.scopes.labels(),
        overview: overview.into(),
    }))
}

// ---------- authorities: guardianships, parental relations, names ----------

#[derive(Deserialize, ToSchema, Debug)]
pub struct NewGuardianship {
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub guardian_pid: String,
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub ward_pid: String,
    /// The ward's name, for the guardian's list.
    pub ward_name: Option<String>,
    /// Default `["all"]`.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Default `["read", "act"]`.
    #[serde(default)]
    pub actions: Vec<String>,
    #[schema(schema_with = samlet_domain::items::schema::opt_date_or_time)]
    pub valid_from: Option<When>,
    #[schema(schema_with = samlet_domain::items::schema::opt_date_or_time)]
    pub valid_to: Option<When>,
    /// The county governor's decision reference.
    pub reference: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct Created {
    pub id: String,
}

fn defaulted(v: &[String], default: &[&str]) -> Vec<String> {
    if v.is_empty() {
        default.iter().map(|s| (*s).to_owned()).collect()
    } else {
        v.to_vec()
    }
}

/// Register a guardianship.
///
/// Register a guardianship (the county governor's role; scope `samlet:guardianship`).
#[utoipa::path(post, path = "/api/v1/guardianships", tag = "representation", request_body = NewGuardianship,
    security(("agency_token" = [])),
    responses((status = 201, body = Created), (status = 403, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_guardianship(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(body): ApiJson<NewGuardianship>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    auth.require(AgencyScope::Guardianship)?;
    let guardian = parse_pid(&state, &body.guardian_pid, "/guardian_pid")?;
    let ward = parse_pid(&state, &body.ward_pid, "/ward_pid")?;
    authorities::check_guardian_pair(&guardian, &ward)?;
    let scopes = parse_scopes(&defaulted(&body.scopes, &["all"]), "/scopes")?;
    let actions = parse_actions(&defaulted(&body.actions, &["read", "act"]), "/actions")?;
    let now = Utc::now();
    let g = authorities::NewGuardianship {
        guardian,
        ward,
        ward_name: body.ward_name.clone(),
        scopes,
        actions,
        valid_from: body.valid_from.as_ref().map(When::at).unwrap_or(now),
        valid_to: body.valid_to.as_ref().map(When::end),
        reference: body.reference.clone(),
    };
    let org = auth.agency.org.to_string();
    let id = authorities::register_guardianship(state.store.as_ref(), &org, g, now).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// End a guardianship.
///
/// End a guardianship this authority registered.
#[utoipa::path(delete, path = "/api/v1/guardianships/{id}", tag = "representation",
    params(("id" = String, Path)), security(("agency_token" = [])),
    responses((status = 204, description = "Ended"), (status = 404, body = crate::problem::Problem)))]
pub async fn delete_guardianship(
    State(state): State<AppState>,
    auth: AgencyAuth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    auth.require(AgencyScope::Guardianship)?;
    let org = auth.agency.org.to_string();
    authorities::end_guardianship(state.store.as_ref(), &org, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct NewParental {
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub parent_pid: String,
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub child_pid: String,
    pub child_name: Option<String>,
    pub parent_name: Option<String>,
}

/// Register parental authority.
///
/// A parent's authority over a minor, from the population register (scope
/// `samlet:population`). It covers everything and ends on the child's 18th birthday.
#[utoipa::path(post, path = "/api/v1/population/parental", tag = "representation", request_body = NewParental,
    security(("agency_token" = [])),
    responses((status = 201, body = Created), (status = 403, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_parental(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(body): ApiJson<NewParental>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    auth.require(AgencyScope::Population)?;
    let parent = parse_pid(&state, &body.parent_pid, "/parent_pid")?;
    let child = parse_pid(&state, &body.child_pid, "/child_pid")?;
    let id = authorities::register_parental(
        state.store.as_ref(),
        &state.config.representation_rules,
        &auth.agency.org.to_string(),
        &parent,
        &child,
        body.parent_name.as_deref(),
        body.child_name.as_deref(),
        Utc::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, ToSchema, Debug)]
pub struct PersonName {
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub pid: String,
    pub name: String,
}

/// Register names.
///
/// Names from the population register, for representatives' lists (scope `samlet:population`).
#[utoipa::path(post, path = "/api/v1/population/names", tag = "representation", request_body = Vec<PersonName>,
    security(("agency_token" = [])),
    responses((status = 204, description = "Stored"), (status = 422, body = crate::problem::Problem)))]
pub async fn post_names(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(body): ApiJson<Vec<PersonName>>,
) -> ApiResult<StatusCode> {
    auth.require(AgencyScope::Population)?;
    let mut names = Vec::with_capacity(body.len());
    for (i, p) in body.into_iter().enumerate() {
        names.push((parse_pid(&state, &p.pid, &format!("/{i}/pid"))?, p.name));
    }
    samlet_app::represent::authorities::register_names(state.store.as_ref(), &names, Utc::now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------- consent ----------

#[derive(Deserialize, ToSchema, Debug)]
pub struct NewConsent {
    /// The person asked.
    #[schema(pattern = r"^[0-9]{11}$", example = "01010750160")]
    pub pid: String,
    /// The agency holding the data (organisation number, registered in Samlet).
    #[schema(pattern = r"^[0-9]{9}$", example = "974761076")]
    pub from_org: String,
    /// `cases`, `deadlines`, `benefits`, `messages`.
    pub categories: Vec<String>,
    /// Why, in plain language: shown to the person as written.
    pub purpose: String,
    /// Until when the consent would hold. A day means up to and including that day.
    #[schema(schema_with = samlet_domain::items::schema::date_or_time)]
    pub valid_to: When,
}

/// Ask a person for consent.
///
/// Ask a person for consent to receive data another agency holds (scope `samlet:share`).
#[utoipa::path(post, path = "/api/v1/consent-requests", tag = "consent", request_body = NewConsent,
    security(("agency_token" = [])),
    responses((status = 201, body = Created), (status = 403, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_consent_request(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(body): ApiJson<NewConsent>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    auth.require(AgencyScope::Share)?;
    let pid = parse_pid(&state, &body.pid, "/pid")?;
    let from = OrgNumber::parse(body.from_org.trim())
        .map_err(|e| ApiError::invalid("/from_org", e.to_string()))?;
    let r = consent::NewConsentRequest {
        pid,
        from_org: from,
        categories: body.categories.clone(),
        purpose: body.purpose.clone(),
        valid_to: body.valid_to.end(),
    };
    let id = consent::request_consent(
        state.store.as_ref(),
        &state.pseudo,
        &auth.agency,
        r,
        Utc::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

pub async fn my_consents(state: &AppState, citizen: &Citizen) -> ApiResult<Vec<ConsentView>> {
    let now = Utc::now();
    Ok(consent::consents_of(state.store.as_ref(), &citizen.pid)
        .await?
        .iter()
        .map(|c| consent_view(c, now))
        .collect())
}

/// My consent requests.
///
/// My consent requests and consents, newest first.
#[utoipa::path(get, path = "/api/v1/me/consent-requests", tag = "consent",
    security(("session_cookie" = [])),
    responses((status = 200, body = Vec<ConsentView>), (status = 401, body = crate::problem::Problem)))]
pub async fn get_consent_requests(
    State(state): State<AppState>,
    citizen: Citizen,
) -> ApiResult<Json<Vec<ConsentView>>> {
    Ok(Json(my_consents(&state, &citizen).await?))
}

pub async fn answer(
    state: &AppState,
    citizen: &Citizen,
    id: &str,
    answer: ConsentAnswer,
) -> ApiResult<ConsentView> {
    let now = Utc::now();
    let c = consent::answer(state.store.as_ref(), &citizen.pid, id, answer, now).await?;
    Ok(consent_view(&c, now))
}

/// Approve a consent request.
///
/// Approve a consent request; the consent keeps the request's id.
#[utoipa::path(post, path = "/api/v1/me/consent-requests/{id}/approve", tag = "consent",
    params(("id" = String, Path)), security(("session_cookie" = [])),
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON, e.g. `{}`: the JSON content type is what keeps cross-site forms out"),
    responses((status = 200, body = ConsentView), (status = 404, body = crate::problem::Problem), (status = 409, body = crate::problem::Problem)))]
pub async fn approve(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
    ApiJson(_body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<ConsentView>> {
    Ok(Json(
        answer(&state, &citizen, &id, ConsentAnswer::Approve).await?,
    ))
}

/// Decline a consent request.
///
/// Decline a consent request.
#[utoipa::path(post, path = "/api/v1/me/consent-requests/{id}/decline", tag = "consent",
    params(("id" = String, Path)), security(("session_cookie" = [])),
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON, e.g. `{}`: the JSON content type is what keeps cross-site forms out"),
    responses((status = 200, body = ConsentView), (status = 404, body = crate::problem::Problem), (status = 409, body = crate::problem::Problem)))]
pub async fn decline(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
    ApiJson(_body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<ConsentView>> {
    Ok(Json(
        answer(&state, &citizen, &id, ConsentAnswer::Decline).await?,
    ))
}

pub async fn revoke(state: &AppState, citizen: &Citizen, id: &str) -> ApiResult<()> {
    Ok(consent::withdraw(state.store.as_ref(), &state.pseudo, &citizen.pid, id).await?)
}

/// Revoke a consent.
///
/// Revoke a consent (effective at once).
#[utoipa::path(delete, path = "/api/v1/me/consents/{id}", tag = "consent",
    params(("id" = String, Path, description = "The consent's id (the request's id)")),
    security(("session_cookie" = [])),
    responses((status = 204, description = "Revoked"), (status = 404, body = crate::problem::Problem)))]
pub async fn delete_consent(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    revoke(&state, &citizen, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct SharedData {
    pub category: String,
    /// The consents this read rests on.
    pub consent_ids: Vec<String>,
    /// Whose data it is (organisation numbers).
    pub from_orgs: Vec<String>,
    /// The person's items of this category from those agencies.
    pub data: serde_json::Value,
}

fn accessor(auth: &AgencyAuth, headers: &HeaderMap) -> ApiResult<Accessor> {
    Ok(Accessor {
        org: auth.agency.org.to_string(),
        name: auth.agency.name.clone(),
        system: header_text(headers, "samlet-accessor-system")?,
        role: header_text(headers, "samlet-accessor-role")?,
    })
}

/// Read data shared under consent.
///
/// Read data shared under the person's consent (scope `samlet:share`), with
/// `Samlet-Purpose` and `Samlet-Legal-Basis`. Refused (403, with the reason)
/// before approval, after expiry or revocation; logged before any data is read.
#[utoipa::path(get, path = "/api/v1/share/{pid}/{category}", tag = "consent",
    params(("pid" = String, Path, description = "The person's identity number", pattern = r"^[0-9]{11}$"), ("category" = String, Path, description = "cases, deadlines, benefits or messages"),
        ("Samlet-Purpose" = String, Header, description = "Why the data is needed"),
        ("Samlet-Legal-Basis" = String, Header, description = "The legal basis, e.g. consent")),
    security(("agency_token" = [])),
    responses((status = 200, body = SharedData), (status = 400, body = crate::problem::Problem),
        (status = 403, description = "No valid consent; the reason code is in `type`", body = crate::problem::Problem),
        (status = 422, body = crate::problem::Problem)))]
pub async fn get_share(
    State(state): State<AppState>,
    auth: AgencyAuth,
    Path((pid, category)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<SharedData>> {
    auth.require(AgencyScope::Share)?;
    let purpose = required(&headers, "samlet-purpose", "why the data is needed")?;
    let legal_basis = required(
        &headers,
        "samlet-legal-basis",
        "the legal basis for the processing",
    )?;
    let pid = parse_pid(&state, &pid, "/path/pid")?;
    if !CATEGORIES.contains(&category.as_str()) {
        return Err(ApiError::invalid(
            "/path/category",
            format!("A category is one of: {}.", CATEGORIES.join(", ")),
        ));
    }
    let read = samlet_app::sharing::AgencyRead {
        accessor: accessor(&auth, &headers)?,
        on_behalf_of: None,
        purpose,
        legal_basis,
        legal_basis_ref: None,
        request_id: request_id(&headers),
    };
    let r = samlet_app::sharing::read_under_consent(
        state.store.as_ref(),
        &state.log,
        &state.config.representation_rules,
        &state.pseudo,
        read,
        &pid,
        &category,
        state.config.today(),
    )
    .await?;
    let o = r.overview;
    let data = match category.as_str() {
        "cases" => serde_json::to_value(&o.cases),
        "deadlines" => serde_json::to_value(&o.deadlines),
        "benefits" => serde_json::to_value(&o.benefits),
        _ => serde_json::to_value(&o.messages),
    }
    .map_err(ApiError::internal)?;
    Ok(Json(SharedData {
        category,
        consent_ids: r.consent_ids,
        from_orgs: r.from_orgs,
        data,
    }))
}

// ---------- caseworker support ----------

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct SupportView {
    /// Given by the person, or registered over them.
    pub given: Vec<RepresentationView>,
    /// Received by the person (at most 200).
    pub received: Vec<RepresentationView>,
    pub consents: Vec<ConsentView>,
}

/// A person's mandates and consents, for a caseworker.
///
/// Which mandates and consents a person has, for a caseworker helping them
/// (scope `samlet:support`; purpose and legal basis required; access-logged first).
#[utoipa::path(get, path = "/api/v1/persons/{pid}/representation", tag = "agency",
    params(("pid" = String, Path, description = "The person's identity number", pattern = r"^[0-9]{11}$"),
        ("Samlet-Purpose" = String, Header, description = "Why the lookup is needed", pattern = r"\S", max_length = 500),
        ("Samlet-Legal-Basis" = String, Header, description = "The legal basis", pattern = r"\S", max_length = 500)),
    security(("agency_token" = [])),
    responses((status = 200, body = SupportView), (status = 400, body = crate::problem::Problem), (status = 403, body = crate::problem::Problem), (status = 422, description = "Not an identity number", body = crate::problem::Problem)))]
pub async fn get_support(
    State(state): State<AppState>,
    auth: AgencyAuth,
    Path(pid): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<SupportView>> {
    let purpose = header_text(&headers, "samlet-purpose")?;
    let legal = header_text(&headers, "samlet-legal-basis")?;
    let allowed = match samlet_app::sharing::allow_support_lookup(
        auth.has(AgencyScope::Support),
        purpose.is_some() && legal.is_some(),
        &state.config.representation_rules,
        Utc::now(),
    ) {
        Ok(allowed) => allowed,
        Err(samlet_app::sharing::Error::Denied(r)) => {
            if r == samlet_access::DenyReason::NoPurpose {
                // Same 400 as every other logged read: say which header is missing.
                required(&headers, "samlet-purpose", "why the lookup is needed")?;
                required(
                    &headers,
                    "samlet-legal-basis",
                    "the legal basis for the processing",
                )?;
            }
            return Err(denied(&r));
        }
        Err(e) => return Err(e.into()),
    };
    let pid = parse_pid(&state, &pid, "/path/pid")?;
    let read = samlet_app::sharing::AgencyRead {
        accessor: accessor(&auth, &headers)?,
        on_behalf_of: None,
        purpose: purpose.unwrap_or_default(),
        legal_basis: legal.unwrap_or_default(),
        legal_basis_ref: header_text(&headers, "samlet-legal-basis-ref")?,
        request_id: request_id(&headers),
    };
    let found = samlet_app::sharing::support_lookup(
        state.store.as_ref(),
        &state.log,
        &state.pseudo,
        allowed,
        read,
        &pid,
    )
    .await?;
    let now = Utc::now();
    Ok(Json(SupportView {
        given: found
            .given
            .iter()
            .map(|r| representation_view(r, now))
            .collect(),
        received: found
            .received
            .iter()
            .map(|r| representation_view(r, now))
            .collect(),
        consents: found
            .consents
            .iter()
            .map(|c| consent_view(c, now))
            .collect(),
    }))
}
