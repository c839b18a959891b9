//! The citizen's own data, for the person in the session only.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use samlet_app::overview;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::types::{MessageView, Overview};
use crate::auth::Citizen;
use crate::extract::{bounded, ApiJson, ApiQuery, MAX_PAGE};
use crate::problem::{ApiError, ApiResult};
use crate::AppState;

/// My overview.
///
/// Everything the public sector has going on with the logged-in person: cases, deadlines, benefits
/// and unread messages.
#[utoipa::path(get, path = "/api/v1/me/overview", tag = "citizen",
    security(("session_cookie" = [])),
    responses((status = 200, body = Overview), (status = 401, body = crate::problem::Problem)))]
pub async fn overview(
    State(state): State<AppState>,
    citizen: Citizen,
) -> ApiResult<Json<Overview>> {
    let o = overview::overview(&*state.store, &citizen.pid, state.config.today()).await?;
    Ok(Json(o.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based page number.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<u32>,
    /// Items per page, at most 100.
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct MessagePage {
    pub messages: Vec<MessageView>,
    pub page: u32,
    pub per_page: u32,
    /// Present when there is a next page.
    pub next_page: Option<u32>,
}

/// My messages, a page at a time.
///
/// The logged-in person's messages, newest first; `next_page` is present when there are more.
#[utoipa::path(get, path = "/api/v1/me/messages", tag = "citizen", params(PageQuery),
    security(("session_cookie" = [])),
    responses((status = 200, body = MessagePage), (status = 401, body = crate::problem::Problem)))]
pub async fn messages(
    State(state): State<AppState>,
    citizen: Citizen,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<MessagePage>> {
    let page = bounded(q.page, 1, MAX_PAGE, "page")?;
    let per_page = bounded(q.per_page, 20, 100, "per_page")?;
    let found = overview::messages(&*state.store, &citizen.pid, page, per_page).await?;
    Ok(Json(MessagePage {
        messages: found.messages.into_iter().map(Into::into).collect(),
        page,
        per_page,
        next_page: found.next_page,
    }))
}

/// Open one of my messages.
///
/// The message with its body. Reading does not mark it read; `POST …/read` does.
#[utoipa::path(get, path = "/api/v1/me/messages/{org}/{message_id}", tag = "citizen",
    params(("org" = String, Path, description = "The sending agency's organisation number", pattern = r"^[0-9]{9}$"), ("message_id" = String, Path)),
    security(("session_cookie" = [])),
    responses((status = 200, description = "The message with its body, as it is: reading does not mark it read (POST …/read does)", body = MessageView), (status = 404, body = crate::problem::Problem)))]
pub async fn open_message(
    State(state): State<AppState>,
    citizen: Citizen,
    Path((org, message_id)): Path<(String, String)>,
) -> ApiResult<Json<MessageView>> {
    let m = overview::message(&*state.store, &citizen.pid, &org, &message_id).await?;
    Ok(Json(m.into()))
}

/// Mark a message read.
///
/// Mark a message read (the first time is kept) and return it.
#[utoipa::path(post, path = "/api/v1/me/messages/{org}/{message_id}/read", tag = "citizen",
    params(("org" = String, Path, description = "The sending agency's organisation number", pattern = r"^[0-9]{9}$"), ("message_id" = String, Path)),
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON, e.g. `{}`: the JSON content type is what keeps cross-site forms out"),
    security(("session_cookie" = [])),
    responses((status = 200, description = "The message, now marked read", body = MessageView), (status = 401, body = crate::problem::Problem), (status = 404, body = crate::problem::Problem), (status = 415, description = "Content-Type must be application/json", body = crate::problem::Problem)))]
pub async fn mark_message_read(
    State(state): State<AppState>,
    citizen: Citizen,
    Path((org, message_id)): Path<(String, String)>,
    ApiJson(_body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<MessageView>> {
    overview::mark_read(&*state.store, &citizen.pid, &org, &message_id, Utc::now()).await?;
    let m = overview::message(&*state.store, &citizen.pid, &org, &message_id).await?;
    Ok(Json(m.into()))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CalendarUrl {
    /// A private iCalendar (RFC 5545) URL: anyone with it sees your deadlines and payment dates.
    pub url: String,
}

/// Optional body of `POST /api/v1/me/calendar-url`.
#[derive(Deserialize, ToSchema, Default)]
pub struct CalendarRequest {}

/// The feed speaks the language the person had when making the link (a
/// calendar program sends no cookie): `?lang=` carries it, not personal data.
pub async fn new_calendar_url(
    state: &AppState,
    citizen: &Citizen,
    lang: crate::i18n::Lang,
) -> ApiResult<String> {
    let token = overview::issue_calendar_token(&*state.store, &citizen.pid, Utc::now()).await?;
    tracing::info!(person = %state.pseudo.of(&citizen.pid), "calendar URL renewed");
    Ok(format!(
        "{}/calendar/{token}.ics?lang={lang}",
        state.config.public_url.trim_end_matches('/')
    ))
}

/// Create my calendar URL.
///
/// Create or renew the private calendar URL; the previous one stops working.
#[utoipa::path(post, path = "/api/v1/me/calendar-url", tag = "citizen",
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON, e.g. `{}`: the JSON content type is what keeps cross-site forms out"),
    security(("session_cookie" = [])),
    responses((status = 200, body = CalendarUrl), (status = 401, body = crate::problem::Problem), (status = 415, description = "Content-Type must be application/json", body = crate::problem::Problem)))]
pub async fn create_calendar_url(
    State(state): State<AppState>,
    citizen: Citizen,
    crate::i18n::PageLang(lang): crate::i18n::PageLang,
    ApiJson(_body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<CalendarUrl>> {
    Ok(Json(CalendarUrl {
        url: new_calendar_url(&state, &citizen, lang).await?,
    }))
}

/// Revoke my calendar URL.
///
/// The private calendar URL stops working at once; a new one can be created.
#[utoipa::path(delete, path = "/api/v1/me/calendar-url", tag = "citizen",
    security(("session_cookie" = [])),
    responses((status = 204, description = "Revoked"), (status = 401, body = crate::problem::Problem)))]
pub async fn revoke_calendar_url(
    State(state): State<AppState>,
    citizen: Citizen,
) -> ApiResult<StatusCode> {
    overview::revoke_calendar_token(&*state.store, &citizen.pid, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The overview's errors as the API answers them.
impl From<overview::Error> for ApiError {
    fn from(e: overview::Error) -> Self {
        match e {
            overview::Error::NoSuchMessage => ApiError::not_found("You have no such message."),
            overview::Error::UnknownCalendarToken => {
                ApiError::not_found("This calendar link is unknown or has been revoked.")
            }
            overview::Error::Store(e) => e.into(),
        }
    }
}
