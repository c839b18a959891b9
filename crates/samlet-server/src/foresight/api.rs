//! The foresight JSON API: join, vote, and the team's session, close and results.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use samlet_app::foresight::{self as fs, Loaded};
use samlet_foresight::{BallotInput, Library, Thresholds};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{bearer, require_agency_scope, require_team, team_actor};
use crate::auth::token_hash;
use crate::extract::{json_body, ApiJson};
use crate::problem::{ApiError, ApiResult};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(library))
        .routes(routes!(create))
        .routes(routes!(session))
        .routes(routes!(close))
        .routes(routes!(reveal))
        .routes(routes!(results))
        .routes(routes!(report_pdf))
        .routes(routes!(join))
        .routes(routes!(ballot))
}

/// The foresight library.
///
/// The driving forces and trends, in bokmål and English: the seeded library
/// (17 driving forces, 14 trends in 3 themes) with the team's edits; retired
/// items carry `"retired": true`.
#[utoipa::path(get, path = "/api/v1/foresight/library", tag = "foresight",
    responses((status = 200, description = "Driving forces (PESTEL), themes and trends, with descriptions, key figures and sources", body = super::schema::LibrarySchema, content_type = "application/json")))]
pub async fn library(State(state): State<AppState>) -> ApiResult<Json<Library>> {
    Ok(Json(fs::effective_library(state.store.as_ref()).await?))
}

/// The session file of `samlet foresight session create` and of
/// `POST /api/v1/foresight/sessions` (`samlet_app::foresight::SessionFile`
/// reads the same shape from a file).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionFile {
    pub title: String,
    /// Trends to rate, in order. A code from the library needs nothing else.
    pub trends: Vec<TrendEntry>,
    /// Blind-spot thresholds; default importance 4.5 and preparedness 3.5.
    #[serde(default)]
    #[schema(value_type = Option<super::schema::ThresholdsSchema>)]
    pub thresholds: Option<Thresholds>,
    /// Participant questions; default: role (the study's options) and years of experience.
    #[serde(default)]
    pub questions: Option<Questions>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrendEntry {
    pub code: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
}

/// What participants are asked about themselves, besides the ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Questions {
    /// Answer options for role (keys); `null` does not ask. The study's keys
    /// (managing_director, director, adviser, clinician, other) get labels in
    /// every language; other keys are shown as written.
    #[serde(default = "fs::study_roles")]
    pub role: Option<Vec<String>>,
    /// Ask for years of experience.
    #[serde(default = "yes")]
    pub experience_years: bool,
}

fn yes() -> bool {
    true
}

impl From<SessionFile> for fs::SessionFile {
    fn from(f: SessionFile) -> Self {
        Self {
            title: f.title,
            trends: f
                .trends
                .into_iter()
                .map(|t| fs::TrendEntry {
                    code: t.code,
                    title: t.title,
                    theme: t.theme,
                })
                .collect(),
            thresholds: f.thresholds,
            questions: f.questions.map(|q| fs::Questions {
                role: q.role,
                experience_years: q.experience_years,
            }),
        }
    }
}

impl From<&fs::Questions> for Questions {
    fn from(q: &fs::Questions) -> Self {
        Self {
            role: q.role.clone(),
            experience_years: q.experience_years,
        }
    }
}

/// What `session create` returns. The team key is shown only here.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
    pub join_code: String,
    /// Secret: the team's key for the presenter screen and results.
    pub team_key: String,
}

impl From<fs::Created> for Created {
    fn from(c: fs::Created) -> Self {
        Self {
            id: c.id,
            join_code: c.join_code,
            team_key: c.team_key,
        }
    }
}

/// Create a foresight session.
///
/// Create a session (agency token with the `samlet:foresight` scope; the CLI
/// `samlet foresight session create` does the same without a server).
#[utoipa::path(post, path = "/api/v1/foresight/sessions", tag = "foresight", request_body = SessionFile,
    security(("agency_token" = [])),
    responses((status = 201, body = Created), (status = 401, body = crate::problem::Problem), (status = 403, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(file): ApiJson<SessionFile>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let token = bearer(&headers).ok_or_else(|| {
        ApiError::unauthorized("Send an agency access token with the samlet:foresight scope.")
    })?;
    require_agency_scope(&state, token).await?;
    let created = fs::create_session(state.store.as_ref(), file.into()).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// Live state of a session: open or closed, how many joined and voted, and
/// whether (and by whom, when) its results were revealed while open.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionStatus {
    pub id: String,
    pub title: String,
    pub join_code: String,
    pub open: bool,
    pub joined: u64,
    pub voted: u64,
    /// Whether the team may see results: closed, or revealed by the presenter.
    pub results_visible: bool,
    /// When the presenter revealed the results of the open session.
    pub revealed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who revealed them: "team key" or "agency <organisation number>".
    pub revealed_by: Option<String>,
}

/// A foresight session's status.
///
/// Whether the session is open, how many have joined and given ballots, and whether results are
/// revealed. For the team key or an agency with the foresight scope.
#[utoipa::path(get, path = "/api/v1/foresight/sessions/{id}", tag = "foresight",
    params(("id" = String, Path)), security(("team_key" = []), ("agency_token" = [])),
    responses((status = 200, body = SessionStatus), (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem)))]
pub async fn session(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionStatus>> {
    let s = fs::load(state.store.as_ref(), &id).await?;
    require_team(&state, &headers, &s.row).await?;
    status_of(&state, &s).await.map(Json)
}

pub(crate) async fn status_of(state: &AppState, s: &Loaded) -> ApiResult<SessionStatus> {
    let c = fs::counts(state.store.as_ref(), &s.row.id).await?;
    Ok(SessionStatus {
        id: s.row.id.clone(),
        title: s.row.title.clone(),
        join_code: s.row.join_code.clone(),
        open: s.row.is_open(),
        joined: c.joined,
        voted: c.voted,
        results_visible: s.row.results_visible(),
        revealed_at: s.row.revealed_at,
        revealed_by: s.row.revealed_by.clone(),
    })
}

/// Reveal results early.
///
/// Reveal the results of an open session to the team before closing (from 5
/// ballots; recorded with who and when; they stay visible).
#[utoipa::path(post, path = "/api/v1/foresight/sessions/{id}/reveal", tag = "foresight",
    params(("id" = String, Path)), security(("team_key" = []), ("agency_token" = [])),
    responses((status = 200, body = SessionStatus), (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem),
        (status = 409, description = "Fewer than 5 ballots", body = crate::problem::Problem)))]
pub async fn reveal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionStatus>> {
    let s = fs::load(state.store.as_ref(), &id).await?;
    let who = team_actor(&state, &headers, &s.row).await?;
    fs::reveal(state.store.as_ref(), &s, &who).await?;
    let s = fs::load(state.store.as_ref(), &id).await?;
    status_of(&state, &s).await.map(Json)
}

/// Close a foresight session.
///
/// Close the session: ballots can no longer be given or changed.
#[utoipa::path(post, path = "/api/v1/foresight/sessions/{id}/close", tag = "foresight",
    params(("id" = String, Path)), security(("team_key" = []), ("agency_token" = [])),
    responses((status = 200, body = SessionStatus), (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem)))]
pub async fn close(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionStatus>> {
    let s = fs::load(state.store.as_ref(), &id).await?;
    require_team(&state, &headers, &s.row).await?;
    fs::close(state.store.as_ref(), &id).await?;
    let s = fs::load(state.store.as_ref(), &id).await?;
    status_of(&state, &s).await.map(Json)
}

/// What the team gets from the results endpoint: always the counts; the
/// results themselves only when the session is closed or revealed. Its
/// schema is `schema::ResultsViewSchema`, which spells out the flattened results.
#[derive(Debug, Serialize)]
pub struct ResultsView {
    /// False while the session is open and not revealed: then only the counts are given.
    pub results_visible: bool,
    pub open: bool,
    pub joined: u64,
    pub voted: u64,
    /// `ballots, trends, themes, segments` when visible.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub results: Option<samlet_foresight::Results>,
}

/// A foresight session's results.
///
/// Results: exact means, gaps, blind spot, theme averages and segments
/// (groups under 5 ballots hidden together, without label). While the
/// session is open and not revealed, only the counts of joined and voted.
#[utoipa::path(get, path = "/api/v1/foresight/sessions/{id}/results", tag = "foresight",
    params(("id" = String, Path)), security(("team_key" = []), ("agency_token" = [])),
    responses((status = 200, description = "`{results_visible, open, joined, voted}`, and when visible `ballots, trends: [{code, title, theme, n, importance_mean, preparedness_mean, gap, in_blind_spot}], themes: [{theme, mean_gap}], segments: {by_role, by_experience}`", body = super::schema::ResultsViewSchema),
        (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem)))]
pub async fn results(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Json<ResultsView>> {
    let s = fs::load(state.store.as_ref(), &id).await?;
    require_team(&state, &headers, &s.row).await?;
    let status = status_of(&state, &s).await?;
    let results = if status.results_visible {
        Some((*state.foresight.get(state.store.as_ref(), &s).await?).clone())
    } else {
        None
    };
    Ok(Json(ResultsView {
        results_visible: status.results_visible,
        open: status.open,
        joined: status.joined,
        voted: status.voted,
        results,
    }))
}

/// The report as a PDF.
///
/// The report as a PDF (A4; the blind-spot matrix and gap ranking as vector
/// drawings), in bokmål or English by `Accept-Language`.
#[utoipa::path(get, path = "/api/v1/foresight/sessions/{id}/report.pdf", tag = "foresight",
    params(("id" = String, Path)), security(("team_key" = []), ("agency_token" = [])),
    responses((status = 200, description = "The report", content_type = "application/pdf"),
        (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem)))]
pub async fn report_pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let s = fs::load(state.store.as_ref(), &id).await?;
    require_team(&state, &headers, &s.row).await?;
    let r = state.foresight.get(state.store.as_ref(), &s).await?;
    let lang = crate::i18n::PageLang::of(&headers, state.config.country_lang());
    let bytes = fs::report::report_pdf(lang, &s, &r).map_err(ApiError::internal)?;
    Ok(super::pdf_response(bytes))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    /// The short code on the presenter screen; case, spaces and dashes are ignored.
    pub join_code: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct JoinedTrend {
    pub code: String,
    pub title: String,
    pub theme: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Joined {
    /// Send as `Authorization: Bearer …` with ballots. Keep it: it is the
    /// only way to change the ballot, and it is stored only as a hash.
    pub participant_token: String,
    pub title: String,
    pub trends: Vec<JoinedTrend>,
    pub questions: Questions,
}

/// Join a foresight session.
///
/// Join a session by its code. Nothing about the device or address is stored.
#[utoipa::path(post, path = "/api/v1/foresight/join", tag = "foresight", request_body = JoinRequest,
    responses((status = 200, body = Joined), (status = 404, body = crate::problem::Problem), (status = 409, description = "The session is closed", body = crate::problem::Problem), (status = 422, body = crate::problem::Problem),
        (status = 429, description = "Too many joins from this address or to this session; see Retry-After", body = crate::problem::Problem)))]
pub async fn join(
    State(state): State<AppState>,
    crate::ratelimit::ClientIp(ip): crate::ratelimit::ClientIp,
    ApiJson(req): ApiJson<JoinRequest>,
) -> ApiResult<Json<Joined>> {
    state.limits.join_address.check(&ip)?;
    let s = fs::load_by_code(state.store.as_ref(), &req.join_code)
        .await?
        .ok_or_else(|| {
            ApiError::not_found("No session has that code; check it on the presenter screen.")
                .at("/join_code")
        })?;
    state.limits.join_code.check(&s.row.join_code)?;
    let token = join_session(&state, &s).await?;
    Ok(Json(Joined {
        participant_token: token,
        title: s.row.title.clone(),
        trends: s
            .spec
            .trends
            .iter()
            .map(|t| JoinedTrend {
                code: t.code.clone(),
                title: t.title.clone(),
                theme: t.theme.clone(),
            })
            .collect(),
        questions: (&s.spec.questions).into(),
    }))
}

/// Join the session, counted in the metrics (how many joined, never who).
pub(crate) async fn join_session(state: &AppState, s: &Loaded) -> ApiResult<String> {
    let token = fs::join(state.store.as_ref(), s).await?;
    metrics::counter!("samlet_foresight_joins_total").increment(1);
    Ok(token)
}

/// What was stored.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BallotReceipt {
    pub stored: bool,
    /// Number of trends rated.
    pub ratings: usize,
}

/// Give a ballot.
///
/// Give or replace a ballot. Body: `{"participant": {"role"?, "experience_years"?}, "ratings": [{"trend", "importance", "preparedness"}]}`.
#[utoipa::path(post, path = "/api/v1/foresight/ballots", tag = "foresight",
    security(("participant_token" = [])),
    request_body(content = super::schema::BallotSchema, description = "Each of the session's trends rated once on both scales", content_type = "application/json"),
    responses((status = 200, body = BallotReceipt), (status = 401, body = crate::problem::Problem), (status = 409, description = "The session is closed", body = crate::problem::Problem), (status = 422, description = "Rating outside 1–6, unknown or repeated trend, role not an option", body = crate::problem::Problem)))]
pub async fn ballot(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: axum::extract::Request,
) -> ApiResult<Json<BallotReceipt>> {
    let token = bearer(&headers).ok_or_else(|| {
        ApiError::unauthorized("Send the participant token from POST /api/v1/foresight/join as `Authorization: Bearer …`.")
    })?;
    let hash = token_hash(token);
    let session_id = fs::participant_session(state.store.as_ref(), &hash).await?;
    let input: BallotInput = json_body(req).await?;
    let s = fs::load(state.store.as_ref(), &session_id).await?;
    if !s.row.is_open() {
        return Err(fs::Error::Closed.into());
    }
    let ballot = fs::validate_ballot(&s, &input)?;
    fs::give_ballot(&state.foresight, state.store.as_ref(), &s, &hash, &ballot).await?;
    Ok(Json(BallotReceipt {
        stored: true,
        ratings: ballot.ratings().len(),
    }))
}
