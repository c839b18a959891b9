//! The agency API: push cases, status changes, deadlines, benefits and
//! messages for persons, one at a time or in bulk (NDJSON).
//!
//! Every item is keyed by the agency's own id, so re-sending updates it.
//! An agency writes only under its own organisation: the agency id comes
//! from the token, never from the body.

use axum::extract::{Path, Request, State};
use axum::Json;
use chrono::Utc;
use samlet_domain::{
    BenefitInput, CaseInput, DeadlineInput, FieldError, MessageInput, PidPolicy, StatusInput,
};
use samlet_store::{Item, Rejection};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::AgencyAuth;
use crate::extract::{body_bytes, content_type_is, ApiJson};
use crate::problem::{ApiError, ApiResult};
use crate::AppState;
use samlet_domain::Scope;

/// What was stored.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Receipt {
    /// case, status, deadline, benefit or message.
    #[schema(schema_with = crate::schema::item_kind)]
    pub kind: String,
    /// The agency's id of the item.
    pub id: String,
    pub agency: String,
}

async fn store_one(
    state: &AppState,
    auth: &AgencyAuth,
    kind: &str,
    id: String,
    item: Item,
) -> ApiResult<Json<Receipt>> {
    auth.require(Scope::Write)?;
    let verdict = state.store.ingest(auth.agency.id, vec![item]).await?;
    match verdict.into_iter().next() {
        Some(Ok(())) => {
            metrics::counter!("samlet_items_ingested_total", "kind" => kind.to_owned())
                .increment(1);
            Ok(Json(Receipt {
                kind: kind.into(),
                id,
                agency: auth.agency.org.to_string(),
            }))
        }
        Some(Err(r @ Rejection::UnknownCase(_))) => {
            Err(ApiError::not_found(r.to_string()).at(r.pointer()))
        }
        Some(Err(r)) => Err(ApiError::conflict(r.to_string()).at(r.pointer())),
        None => Err(ApiError::internal("store returned no verdict")),
    }
}

/// Push a case.
///
/// Creates or updates one of the agency's cases for a person; re-sending the same `case_id`
/// updates it. The person must exist under the server's identity-number policy. Needs the
/// `samlet:write` scope.
#[utoipa::path(post, path = "/api/v1/cases", tag = "agency", request_body = CaseInput,
    security(("agency_token" = [])),
    responses((status = 200, body = Receipt), (status = 401, body = crate::problem::Problem), (status = 409, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_case(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(input): ApiJson<CaseInput>,
) -> ApiResult<Json<Receipt>> {
    let v = input.validate(state.config.pid_policy, Utc::now())?;
    let id = v.case_id.clone();
    store_one(&state, &auth, "case", id, Item::Case(v)).await
}

/// Change a case's status.
///
/// Sets the status of a case this agency pushed before; the change is kept in the case's history.
/// Needs the `samlet:write` scope.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/status", tag = "agency", request_body = StatusInput,
    params(("case_id" = String, Path, description = "The agency's case id")),
    security(("agency_token" = [])),
    responses((status = 200, body = Receipt), (status = 409, description = "The id already belongs to another person", body = crate::problem::Problem), (status = 404, description = "No such case from this agency", body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_status(
    State(state): State<AppState>,
    auth: AgencyAuth,
    Path(case_id): Path<String>,
    ApiJson(input): ApiJson<StatusInput>,
) -> ApiResult<Json<Receipt>> {
    let v = input.validate(state.config.pid_policy, Some(&case_id))?;
    store_one(&state, &auth, "status", case_id, Item::Status(v)).await
}

/// Push a deadline.
///
/// Creates or updates a deadline the person must meet (re-sending the same `deadline_id` updates
/// it). Needs the `samlet:write` scope.
#[utoipa::path(post, path = "/api/v1/deadlines", tag = "agency", request_body = DeadlineInput,
    security(("agency_token" = [])),
    responses((status = 200, body = Receipt), (status = 409, description = "The id already belongs to another person", body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_deadline(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(input): ApiJson<DeadlineInput>,
) -> ApiResult<Json<Receipt>> {
    let v = input.validate(state.config.pid_policy)?;
    let id = v.deadline_id.clone();
    store_one(&state, &auth, "deadline", id, Item::Deadline(v)).await
}

/// Push a benefit.
///
/// Creates or updates a benefit the person receives or has applied for, with amounts as money
/// strings. Needs the `samlet:write` scope.
#[utoipa::path(post, path = "/api/v1/benefits", tag = "agency", request_body = BenefitInput,
    security(("agency_token" = [])),
    responses((status = 200, body = Receipt), (status = 409, description = "The id already belongs to another person", body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_benefit(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(input): ApiJson<BenefitInput>,
) -> ApiResult<Json<Receipt>> {
    let v = input.validate(state.config.pid_policy)?;
    let id = v.benefit_id.clone();
    store_one(&state, &auth, "benefit", id, Item::Benefit(v)).await
}

/// Push a message.
///
/// Delivers a message to the person's inbox; re-sending the same `message_id` updates it without
/// making it unread. Needs the `samlet:write` scope.
#[utoipa::path(post, path = "/api/v1/messages", tag = "agency", request_body = MessageInput,
    security(("agency_token" = [])),
    responses((status = 200, body = Receipt), (status = 409, description = "The id already belongs to another person", body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
pub async fn post_message(
    State(state): State<AppState>,
    auth: AgencyAuth,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<Json<Receipt>> {
    let v = input.validate(state.config.pid_policy)?;
    let id = v.message_id.clone();
    store_one(&state, &auth, "message", id, Item::Message(v)).await
}

/// The outcome of one NDJSON line.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LineResult {
    /// 1-based line number in the upload.
    pub line: usize,
    /// "accepted" or "rejected".
    #[schema(schema_with = crate::schema::line_status)]
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Pointer to the offending field within the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BulkReport {
    pub accepted: usize,
    pub rejected: usize,
    pub lines: Vec<LineResult>,
}

fn rejected(
    line: usize,
    kind: Option<String>,
    pointer: Option<String>,
    reason: String,
) -> LineResult {
    LineResult {
        line,
        status: "rejected".into(),
        kind,
        id: None,
        pointer,
        reason: Some(reason),
    }
}

/// Parse and validate one NDJSON line of `/api/v1/bulk` into an item (kind,
/// id, item), or say why not and where.
pub(crate) fn parse_line(
    policy: PidPolicy,
    text: &str,
) -> Result<(String, String, Item), (Option<String>, FieldError)> {
    crate::extract::check_depth(text.as_bytes()).map_err(|e| {
        (
            None,
            FieldError::new(e.pointer.unwrap_or_default(), e.detail),
        )
    })?;
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        (
            None,
            FieldError::new("", format!("not valid JSON (column {}): {e}", e.column())),
        )
    })?;
    let kind = value
        .get("kind")
        .and_then(|k| k.as_str())
        .ok_or_else(|| {
            (
                None,
                FieldError::new(
                    "/kind",
                    "each line needs \"kind\": case, status, deadline, benefit or message",
                ),
            )
        })?
        .to_owned();
    let k = Some(kind.clone());
    fn de<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, FieldError> {
        serde_path_to_error::deserialize(v).map_err(|e| {
            let pointer = crate::extract::json_pointer(e.path());
            FieldError::new(pointer, e.into_inner().to_string())
        })
    }
    let item = match kind.as_str() {
        "case" => de::<CaseInput>(value)
            .and_then(|i| i.validate(policy, Utc::now()))
            .map(|v| (v.case_id.clone(), Item::Case(v))),
        "status" => de::<StatusInput>(value)
            .and_then(|i| i.validate(policy, None))
            .map(|v| (v.case_id.clone(), Item::Status(v))),
        "deadline" => de::<DeadlineInput>(value)
            .and_then(|i| i.validate(policy))
            .map(|v| (v.deadline_id.clone(), Item::Deadline(v))),
        "benefit" => de::<BenefitInput>(value)
            .and_then(|i| i.validate(policy))
            .map(|v| (v.benefit_id.clone(), Item::Benefit(v))),
        "message" => de::<MessageInput>(value)
            .and_then(|i| i.validate(policy))
            .map(|v| (v.message_id.clone(), Item::Message(v))),
        other => Err(FieldError::new(
            "/kind",
            format!("unknown kind \"{other}\"; use case, status, deadline, benefit or message"),
        )),
    };
    item.map(|(id, item)| (kind, id, item)).map_err(|e| (k, e))
}

/// Push many items at once.
///
/// `POST /api/v1/bulk`: NDJSON, one item per line with a `kind`.
///
/// Every line gets a verdict. Valid lines are stored in one transaction
/// and are durable when the response is sent; a rejected line stores
/// nothing and does not stop the others.
#[utoipa::path(post, path = "/api/v1/bulk", tag = "agency",
    request_body(content = String, content_type = "application/x-ndjson",
        description = "One JSON object per line: {\"kind\": \"case\"|\"status\"|\"deadline\"|\"benefit\"|\"message\", …the fields of that item}"),
    security(("agency_token" = [])),
    responses((status = 200, body = BulkReport), (status = 413, body = crate::problem::Problem), (status = 415, body = crate::problem::Problem)))]
pub async fn post_bulk(
    State(state): State<AppState>,
    auth: AgencyAuth,
    req: Request,
) -> ApiResult<Json<BulkReport>> {
    auth.require(Scope::Write)?;
    if ![
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
    ]
    .iter()
    .any(|ct| content_type_is(&req, ct))
    {
        return Err(ApiError::unsupported_media(
            "application/x-ndjson (one JSON object per line)",
        ));
    }
    let bytes = body_bytes(req).await?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        ApiError::bad_request(
            "not-utf8",
            "The body is not UTF-8",
            format!("Invalid UTF-8 at byte {}.", e.valid_up_to()),
        )
    })?;
    let mut lines = Vec::new();
    let mut items = Vec::new();
    let mut pending = Vec::new(); // index into `lines` for each item
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        if raw.trim().is_empty() {
            continue;
        }
        match parse_line(state.config.pid_policy, raw) {
            Ok((kind, id, item)) => {
                pending.push(lines.len());
                items.push(item);
                lines.push(LineResult {
                    line,
                    status: "accepted".into(),
                    kind: Some(kind),
                    id: Some(id),
                    pointer: None,
                    reason: None,
                });
            }
            Err((kind, e)) => lines.push(rejected(line, kind, Some(e.pointer), e.message)),
        }
    }
    let verdicts = if items.is_empty() {
        Vec::new()
    } else {
        state.store.ingest(auth.agency.id, items).await?
    };
    for (idx, verdict) in pending.into_iter().zip(verdicts) {
        if let Err(r) = verdict {
            let l = &mut lines[idx];
            l.status = "rejected".into();
            l.pointer = Some(r.pointer().into());
            l.reason = Some(r.to_string());
            l.id = None;
        }
    }
    let accepted = lines.iter().filter(|l| l.status == "accepted").count();
    let rejected_n = lines.len() - accepted;
    metrics::counter!("samlet_items_ingested_total", "kind" => "bulk").increment(accepted as u64);
    tracing::info!(agency = %auth.agency.org, accepted, rejected = rejected_n, "bulk ingest");
    Ok(Json(BulkReport {
        accepted,
        rejected: rejected_n,
        lines,
    }))
}

/// Who the token belongs to.
#[derive(Serialize, ToSchema)]
pub struct WhoAmI {
    pub org: String,
    pub name: String,
    /// What this token may do: its scopes that the agency still holds.
    #[schema(schema_with = samlet_domain::scope::scope_set_schema)]
    pub scopes: samlet_domain::ScopeSet,
    /// Everything the operator has granted the agency.
    #[schema(schema_with = samlet_domain::scope::scope_set_schema)]
    pub granted: samlet_domain::ScopeSet,
}

/// Who the token belongs to.
///
/// The calling agency's organisation number and name, the scopes of this token and the roles the
/// agency is granted.
#[utoipa::path(get, path = "/api/v1/agency", tag = "agency", security(("agency_token" = [])),
    responses((status = 200, body = WhoAmI), (status = 401, body = crate::problem::Problem)))]
pub async fn whoami(auth: AgencyAuth) -> Json<WhoAmI> {
    Json(WhoAmI {
        org: auth.agency.org.to_string(),
        name: auth.agency.name.clone(),
        scopes: auth.scopes,
        granted: auth.agency.scopes,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    /// A valid RFC 6901 pointer (empty, or `/` tokens with `~` only as `~0`/`~1`).
    fn is_rfc6901(p: &str) -> bool {
        (p.is_empty() || p.starts_with('/'))
            && p.split('~')
                .skip(1)
                .all(|t| t.starts_with('0') || t.starts_with('1'))
    }

    fn field() -> impl Strategy<Value = serde_json::Value> {
        prop_oneof![
            Just(json!(null)),
            any::<i64>().prop_map(|n| json!(n)),
            ".{0,12}".prop_map(|s| json!(s)),
            Just(json!("2026-03-01")),
            Just(json!("12345678901")),
            Just(json!([[[{"[]]": 1}]]])),
            Just(json!({"~/": {"[]]": []}})),
        ]
    }

    /// NDJSON lines as an agency's faulty system might send them: item
    /// objects with any kind and fields, near-JSON and plain garbage.
    fn bulk_line() -> impl Strategy<Value = String> {
        let keys = prop_oneof![
            Just("pid".to_owned()),
            Just("case_id".to_owned()),
            Just("deadline_id".to_owned()),
            Just("title".to_owned()),
            Just("status".to_owned()),
            Just("amount".to_owned()),
            Just("due".to_owned()),
            Just("body".to_owned()),
            "[\\[\\]~/a-z]{0,4}",
        ];
        let item = (
            prop_oneof![
                Just("case"),
                Just("status"),
                Just("deadline"),
                Just("benefit"),
                Just("message"),
                Just("nonsense"),
            ],
            prop::collection::btree_map(keys, field(), 0..8),
        )
            .prop_map(|(kind, fields)| {
                let mut o: serde_json::Map<String, serde_json::Value> =
                    fields.into_iter().collect();
                o.insert("kind".into(), json!(kind));
                serde_json::Value::Object(o).to_string()
            });
        prop_oneof![
            4 => item,
            1 => ".{0,60}",
            1 => "[\\[\\]{}\":,0-9a-z ]{0,60}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn any_bulk_line_gets_a_verdict_with_a_valid_pointer(line in bulk_line()) {
            if let Err((_, e)) = parse_line(PidPolicy::TEST, &line) {
                prop_assert!(is_rfc6901(&e.pointer), "{} for {}", e.pointer, line);
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn a_deeply_nested_bulk_line_is_rejected_with_its_pointer() {
        let line = format!(
            "{{\"kind\": \"case\", \"title\": {}1{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        let err = parse_line(PidPolicy::TEST, &line).err().map(|(_, e)| e);
        let pointer = err.map(|e| e.pointer).unwrap_or_default();
        assert!(pointer.starts_with("/title/0/0"), "{pointer}");
    }
}
