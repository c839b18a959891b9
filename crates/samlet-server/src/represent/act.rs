//! Acting for someone: what the `act` action lets a representative do (a
//! mandate that includes `act`, a guardianship or parental authority that
//! does, within scope).
//!
//! - open one of the person's messages, which marks it read as the person
//!   opening it would;
//! - approve or decline one of the person's pending consent requests.
//!
//! Each goes through [`samlet_access::decide`] with [`Action::Act`]: first
//! for the pair (a read-only mandate is refused with `action-not-granted`),
//! then for the item (`RepresentItem`, refused with `out-of-scope` when no
//! acting basis covers the item's agency). Each is then written to the
//! person's access log as done on their behalf, and the entry is durable
//! before the store is read or changed. The consent request's own row is
//! read before that as one of the decision's facts (whose it is, which
//! agency's data it concerns), as the sharing read reads its consents.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::Json;
use chrono::Utc;
use samlet_access::Action;
use samlet_domain::{OrgNumber, Pid};
use samlet_store::{ConsentAnswer, MessageView};

use super::api::{consent_view, parse_pid, ConsentView};
use super::log_view::Purpose;
use super::{area_map, authorize_item, authorize_representative, log_on_behalf};
use crate::auth::Citizen;
use crate::extract::ApiJson;
use crate::problem::{ApiError, ApiResult};
use crate::AppState;

/// The areas of one agency's items (none: in scope only under `all`).
async fn areas_of(state: &AppState, org: &str) -> ApiResult<Vec<String>> {
    Ok(area_map(state).await?.remove(org).unwrap_or_default())
}

/// Open one of `subject`'s messages for them: the message, now marked read.
pub async fn open_message(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
    org: &str,
    message_id: &str,
) -> ApiResult<MessageView> {
    let org =
        OrgNumber::parse(org.trim()).map_err(|e| ApiError::invalid("/path/org", e.to_string()))?;
    let areas = areas_of(state, org.as_str()).await?;
    let granted = authorize_item(state, representative, subject, Action::Act, &areas, None).await?;
    // Durable first: no entry, no data.
    let index = log_on_behalf(
        state,
        headers,
        representative,
        subject,
        &granted,
        &["messages"],
        Purpose::OpenedMessage,
    )
    .await?;
    tracing::info!(representative = %state.pseudo.of(representative), person = %state.pseudo.of(subject), log_index = index, "message opened on behalf");
    state
        .store
        .open_message(subject.as_str(), org.as_str(), message_id, Utc::now())
        .await?
        .ok_or_else(|| ApiError::not_found("The person has no such message."))
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
    // The pair first: nothing about the person's requests is looked at
    // for someone who may not act for them at all.
    authorize_representative(state, representative, subject, Action::Act).await?;
    let c = state
        .store
        .consent(id)
        .await?
        .filter(|c| c.subject_pid == subject.as_str())
        .ok_or_else(|| ApiError::not_found("The person has no consent request with this id."))?;
    let areas = areas_of(state, &c.from_org).await?;
    let granted = authorize_item(state, representative, subject, Action::Act, &areas, None).await?;
    let now = Utc::now();
    if consent_view(&c, now).state != "pending" {
        return Err(ApiError::conflict(
            "The request was already answered, or has expired.",
        ));
    }
    let purpose = match answer {
        ConsentAnswer::Approve => Purpose::ApprovedConsent,
        ConsentAnswer::Decline => Purpose::DeclinedConsent,
    };
    // Durable first: no entry, no change.
    let index = log_on_behalf(
        state,
        headers,
        representative,
        subject,
        &granted,
        &["consents"],
        purpose,
    )
    .await?;
    tracing::info!(representative = %state.pseudo.of(representative), person = %state.pseudo.of(subject), log_index = index, "consent request answered on behalf");
    if !state
        .store
        .answer_consent(id, subject.as_str(), answer, now)
        .await?
    {
        return Err(ApiError::conflict("The request was already answered."));
    }
    let c = state.store.consent(id).await?.unwrap_or(c);
    Ok(consent_view(&c, now))
}

/// The person's pending consent requests within the representative's scope
/// (reading; logged).
pub async fn pending_consent_requests(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
) -> ApiResult<Vec<ConsentView>> {
    let granted = authorize_representative(state, representative, subject, Action::Read).await?;
    let index = log_on_behalf(
        state,
        headers,
        representative,
        subject,
        &granted,
        &["consents"],
        Purpose::View(granted.scopes.labels()),
    )
    .await?;
    tracing::info!(representative = %state.pseudo.of(representative), person = %state.pseudo.of(subject), log_index = index, "consent requests read on behalf");
    let areas = area_map(state).await?;
    let none = Vec::new();
    let now = Utc::now();
    Ok(state
        .store
        .consents_of_subject(subject.as_str())
        .await?
        .iter()
        .map(|c| consent_view(c, now))
        .filter(|c| {
            c.state == "pending"
                && granted
                    .scopes
                    .covers(areas.get(&c.from_org).unwrap_or(&none), None)
        })
        .collect())
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
