//! Acting for someone: what the `act` action lets a representative do (a
//! mandate that includes `act`, a guardianship or parental authority that
//! does, within scope).
//!
//! - open one of the person's messages, which marks it read as the person
//!   opening it would;
//! - approve or decline one of the person's pending consent requests.
//!
//! Each goes through `samlet_access::decide` with `Action::Act`: first
//! for the pair (a read-only mandate is refused with `action-not-granted`),
//! then for the item (refused with `out-of-scope` when no acting basis
//! covers the item's agency), and is written to the person's access log
//! before the store is read or changed ([`samlet_app::represent`]).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::Utc;
use samlet_app::represent;
use samlet_domain::Pid;
use samlet_store::{ConsentAnswer, MessageView};

use super::api::{consent_view, parse_pid, ConsentView};
use super::{act_for, request_id};
use crate::auth::Citizen;
use crate::extract::ApiJson;
use crate::problem::ApiResult;
use crate::AppState;

/// Open one of `subject`'s messages for them: the message, now marked read.
pub async fn open_message(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
    org: &str,
    message_id: &str,
) -> ApiResult<MessageView> {
    let rid = request_id(headers);
    let a = act_for(state, &rid, representative, subject);
    Ok(represent::open_message(state.store.as_ref(), &a, org, message_id).await?)
}

/// Answer one of `subject`'s pending consent requests for them.
pub async fn answer_consent(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
    id: &str,
    answer: ConsentAnswer,
) -> ApiResult<ConsentView> {
    let rid = request_id(headers);
    let a = act_for(state, &rid, representative, subject);
    let c = represent::answer_consent(state.store.as_ref(), &a, id, answer).await?;
    Ok(consent_view(&c, Utc::now()))
}

/// The person's pending consent requests within the representative's scope
/// (reading; logged).
pub async fn pending_consent_requests(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
) -> ApiResult<Vec<ConsentView>> {
    let rid = request_id(headers);
    let a = act_for(state, &rid, representative, subject);
    let now = Utc::now();
    Ok(
        represent::pending_consent_requests(state.store.as_ref(), &a)
            .await?
            .iter()
            .map(|c| consent_view(c, now))
            .collect(),
    )
}

/// Open a message for someone I act for.
///
/// Open a message for the person you act for: it is marked read, as if they
/// opened it. Needs a basis that allows acting and covers the sending
/// agency's area; logged in the person's access log first.
#[utoipa::path(post, path = "/api/v1/represented/{pid}/messages/{org}/{message_id}/read", tag = "representation",
    params(("pid" = String, Path, description = "The represented person's identity number", pattern = r"^[0-9]{11}$"),
        ("org" = String, Path, description = "The sending agency's organisation number", pattern = r"^[0-9]{9}$"),
        ("message_id" = String, Path, description = "The agency's id of the message")),
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON, e.g. `{}`: the JSON content type is what keeps cross-site forms out"),
    security(("session_cookie" = [])),
    responses((status = 200, description = "The message with its body; it is now marked read", body = crate::api::types::MessageView),
        (status = 401, body = crate::problem::Problem),
        (status = 403, description = "Refused by the policy: `action-not-granted` (the basis allows only reading), `out-of-scope`, `no-basis` …", body = crate::problem::Problem),
        (status = 404, body = crate::problem::Problem), (status = 415, body = crate::problem::Problem),
        (status = 422, body = crate::problem::Problem)))]
pub async fn post_message_read(
    State(state): State<AppState>,
    citizen: Citizen,
    Path((pid, org, message_id)): Path<(String, String, String)>,
    headers: HeaderMap,
    ApiJson(_body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<crate::api::types::MessageView>> {
    let subject = parse_pid(&state, &pid, "/path/pid")?;
    Ok(Json(
        open_message(&state, &headers, &citizen.pid, &subject, &org, &message_id)
            .await?
            .into(),
    ))
}

/// Consent requests of someone I act for.
///
/// The pending consent requests of the person you act for, within your
/// scope (by the areas of the agency holding the data); logged.
#[utoipa::path(get, path = "/api/v1/represented/{pid}/consent-requests", tag = "representation",
    params(("pid" = String, Path, description = "The represented person's identity number", pattern = r"^[0-9]{11}$")),
    security(("session_cookie" = [])),
    responses((status = 200, body = Vec<ConsentView>), (status = 401, body = crate::problem::Problem),
        (status = 403, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn get_consent_requests(
    State(state): State<AppState>,
    citizen: Citizen,
    Path(pid): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<Vec<ConsentView>>> {
    let subject = parse_pid(&state, &pid, "/path/pid")?;
    Ok(Json(
        pending_consent_requests(&state, &headers, &citizen.pid, &subject).await?,
    ))
}

/// Approve a consent request for someone I act for.
///
/// Approve a consent request for the person you act for. Needs a basis that
/// allows acting and covers the area of the agency holding the data; logged
/// in the person's access log first.
#[utoipa::path(post, path = "/api/v1/represented/{pid}/consent-requests/{id}/approve", tag = "representation",
    params(("pid" = String, Path, description = "The represented person's identity number", pattern = r"^[0-9]{11}$"), ("id" = String, Path)),
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON, e.g. `{}`: the JSON content type is what keeps cross-site forms out"),
    security(("session_cookie" = [])),
    responses((status = 200, body = ConsentView), (status = 401, body = crate::problem::Problem),
        (status = 403, description = "Refused by the policy: `action-not-granted`, `out-of-scope`, `no-basis` …", body = crate::problem::Problem),
        (status = 404, body = crate::problem::Problem), (status = 409, body = crate::problem::Problem),
        (status = 415, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_consent_approve(
    State(state): State<AppState>,
    citizen: Citizen,
    Path((pid, id)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(_body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<ConsentView>> {
    let subject = parse_pid(&state, &pid, "/path/pid")?;
    Ok(Json(
        answer_consent(
            &state,
            &headers,
            &citizen.pid,
            &subject,
            &id,
            ConsentAnswer::Approve,
        )
        .await?,
    ))
}

/// Decline a consent request for someone I act for.
///
/// Decline a consent request for the person you act for (same rules as approving).
#[utoipa::path(post, path = "/api/v1/represented/{pid}/consent-requests/{id}/decline", tag = "representation",
    params(("pid" = String, Path, description = "The represented person's identity number", pattern = r"^[0-9]{11}$"), ("id" = String, Path)),
    request_body(content = serde_json::Value, content_type = "application/json", description = "Any JSON, e.g. `{}`: the JSON content type is what keeps cross-site forms out"),
    security(("session_cookie" = [])),
    responses((status = 200, body = ConsentView), (status = 401, body = crate::problem::Problem),
        (status = 403, description = "Refused by the policy: `action-not-granted`, `out-of-scope`, `no-basis` …", body = crate::problem::Problem),
        (status = 404, body = crate::problem::Problem), (status = 409, body = crate::problem::Problem),
        (status = 415, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_consent_decline(
    State(state): State<AppState>,
    citizen: Citizen,
    Path((pid, id)): Path<(String, String)>,
    headers: HeaderMap,
    ApiJson(_body): ApiJson<serde_json::Value>,
) -> ApiResult<Json<ConsentView>> {
    let subject = parse_pid(&state, &pid, "/path/pid")?;
    Ok(Json(
        answer_consent(
            &state,
            &headers,
            &citizen.pid,
            &subject,
            &id,
            ConsentAnswer::Decline,
        )
        .await?,
    ))
}
