//! Rules as code over HTTP: explain a published rule set for a household the caller sends.
//!
//! **Public by design**: explaining a published rule for a household is public information (it
//! is what the law says for that situation). The caller sends the household; nothing is read
//! from the store and nothing is logged or kept, so no login or agency token is needed.

use axum::extract::{Path, State};
use axum::Json;
use samlet_rules::Lang;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::ApiJson;
use crate::problem::{ApiError, ApiResult};
use crate::AppState;

/// What to explain.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExplainRequest {
    /// The month, `YYYY-MM`.
    #[schema(example = "2024-09", pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub period: String,
    /// `{"id": "h1", "members": [{"id": "Kari", "role": "parent", "birth_date": "1984-04-12", "annual_income": 500000}]}`:
    /// any key other than `id`/`members` is an input the rule set declares.
    #[schema(value_type = Object)]
    pub household: serde_json::Value,
    /// `nb`, `nn`, `en` or `da`; regional tags such as `nb-NO`, `en-GB` and `da-DK`, and `no`
    /// for bokmål, are accepted too. Without it: the `Accept-Language` header's, else bokmål
    /// (Danish on a Danish installation).
    #[serde(default)]
    #[schema(
        example = "nn",
        pattern = r"^\s*(?:[Nn][BbNnOo]|[Ee][Nn]|[Dd][Aa])(?:[-_][^\n]*)?\s*$"
    )]
    pub lang: Option<String>,
}

/// The result, a citizen-readable explanation and the trace for machines.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExplainResponse {
    pub ruleset: String,
    pub period: String,
    /// Output values by rule name.
    #[schema(value_type = Object)]
    pub outputs: serde_json::Value,
    /// Which conditions held, which values and rates were used, from which source, which paragraph.
    pub explanation: String,
    /// The same as a structured trace.
    #[schema(value_type = Object)]
    pub trace: serde_json::Value,
}

/// A rule set the server explains.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleSetInfo {
    pub id: String,
    pub main_output: Option<String>,
    pub outputs: Vec<String>,
}

/// The language of an explanation request: the one it names, else
/// `default` (the caller's negotiated language).
pub fn rules_lang(s: Option<&str>, default: Lang) -> Result<Lang, ApiError> {
    match s {
        None => Ok(default),
        Some(s) => Lang::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "/lang",
                format!(
                    "`{}` is not a language we explain in; use `nb`, `nn`, `en` or `da`.",
                    s.trim().chars().take(32).collect::<String>()
                ),
            )
        }),
    }
}

/// The explanation as the API answers it.
pub fn explain_response(e: samlet_app::rules::Explained) -> ApiResult<ExplainResponse> {
    Ok(ExplainResponse {
        ruleset: e.ruleset,
        period: e.period.to_string(),
        outputs: serde_json::to_value(&e.outputs).map_err(ApiError::internal)?,
        explanation: e.explanation,
        trace: serde_json::to_value(&e.trace).map_err(ApiError::internal)?,
    })
}

/// Explain a rule for a household.
///
/// Evaluates a published rule set for the household the caller sends, for a period, and returns
/// the outcome with every step of the reasoning. Nothing is stored.
#[utoipa::path(post, path = "/api/v1/rules/{ruleset}/explain", tag = "rules",
    request_body = ExplainRequest,
    params(("ruleset" = String, Path, description = "Rule set id, e.g. child-benefit")),
    responses((status = 200, body = ExplainResponse),
        (status = 404, description = "No such rule set", body = crate::problem::Problem),
        (status = 422, description = "Invalid period, language or household", body = crate::problem::Problem)))]
pub async fn post_explain(
    State(state): State<AppState>,
    Path(ruleset): Path<String>,
    crate::i18n::PageLang(negotiated): crate::i18n::PageLang,
    ApiJson(req): ApiJson<ExplainRequest>,
) -> ApiResult<Json<ExplainResponse>> {
    let lang = rules_lang(req.lang.as_deref(), negotiated)?;
    let e = samlet_app::rules::explain(&state.rules, &ruleset, &req.period, req.household, lang)?;
    explain_response(e).map(Json)
}

/// The published rule sets.
///
/// Every rule set this server publishes, with its id and name.
#[utoipa::path(get, path = "/api/v1/rules", tag = "rules",
    responses((status = 200, body = [RuleSetInfo])))]
pub async fn list(State(state): State<AppState>) -> Json<Vec<RuleSetInfo>> {
    Json(
        state
            .rules
            .iter()
            .map(|r| RuleSetInfo {
                id: r.id().to_owned(),
                main_output: r.main_output().map(str::to_owned),
                outputs: r.outputs().into_iter().map(str::to_owned).collect(),
            })
            .collect(),
    )
}

/// What a rule set needs to know.
///
/// Every input each rule of the set needs and where it comes from.
#[utoipa::path(get, path = "/api/v1/rules/{ruleset}/inputs", tag = "rules",
    params(("ruleset" = String, Path, description = "Rule set id")),
    responses((status = 200, description = "Every input each rule needs and its source", body = Object),
        (status = 404, body = crate::problem::Problem)))]
pub async fn inputs(
    State(state): State<AppState>,
    Path(ruleset): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let rs = state
        .rules
        .get(&ruleset)
        .ok_or_else(|| ApiError::not_found(format!("There is no rule set `{ruleset}`.")))?;
    serde_json::to_value(rs.inputs_report())
        .map(Json)
        .map_err(ApiError::internal)
}

impl From<samlet_app::rules::Error> for ApiError {
    fn from(e: samlet_app::rules::Error) -> Self {
        use samlet_app::rules::Error as E;
        match e {
            E::NotFound { .. } => ApiError::not_found(e.to_string()),
            E::Invalid { pointer, message } => ApiError::invalid(pointer, message),
            E::Load(_) => ApiError::internal(e),
        }
    }
}
