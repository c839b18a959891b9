//! Representation and consent (see `docs/representation.md`).
//!
//! - [`api`]: the JSON API (mandates, the representative's list and views,
//!   guardianships and parental relations from authorities, consent requests,
//!   the sharing read, the caseworker's support lookup).
//! - [`pages`]: the web UI (give, see and revoke mandates, "acting for",
//!   answer and revoke consents).
//!
//! The decisions and the logged reads are [`samlet_app::represent`]'s; a
//! refusal here is a problem+json 403 whose `type` ends in the policy's
//! reason code.

pub mod act;
pub mod api;
pub mod handle;
pub mod log_view;
pub mod pages;

use axum::http::HeaderMap;
use samlet_access::DenyReason;
use samlet_app::represent::{self, ActFor, Granted};
use samlet_domain::Pid;
use samlet_store::Overview;

use crate::problem::{ApiError, ApiResult};
use crate::AppState;

/// Every route of this module (listed in `router.rs` as one merge), the
/// API's with their OpenAPI operations.
pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    use axum::routing::{get, post};
    use utoipa_axum::routes;
    utoipa_axum::router::OpenApiRouter::new()
        .routes(routes!(api::post_mandate, api::get_mandates))
        .routes(routes!(api::delete_mandate))
        .routes(routes!(api::get_represented))
        .routes(routes!(api::get_represented_overview))
        .routes(routes!(act::post_message_read))
        .routes(routes!(act::get_consent_requests))
        .routes(routes!(act::post_consent_approve))
        .routes(routes!(act::post_consent_decline))
        .routes(routes!(api::post_guardianship))
        .routes(routes!(api::delete_guardianship))
        .routes(routes!(api::post_parental))
        .routes(routes!(api::post_names))
        .routes(routes!(api::post_consent_request))
        .routes(routes!(api::get_consent_requests))
        .routes(routes!(api::approve))
        .routes(routes!(api::decline))
        .routes(routes!(api::delete_consent))
        .routes(routes!(api::get_share))
        .routes(routes!(api::get_support))
        .route(
            "/me/mandates",
            get(pages::mandates_page).post(pages::give_mandate_form),
        )
        .route("/me/mandates/{id}/revoke", post(pages::revoke_mandate_form))
        .route("/me/acting-for", get(pages::acting_for_page))
        .route("/me/acting-for/{handle}", get(pages::represented_page))
        .route(
            "/me/acting-for/{handle}/messages/{org}/{message_id}/open",
            post(pages::open_message_form),
        )
        .route(
            "/me/acting-for/{handle}/consents/{id}/{answer}",
            post(pages::answer_consent_form),
        )
        .route("/me/consents", get(pages::consents_page))
        .route("/me/consents/{id}/{action}", post(pages::consent_form))
}

/// A refusal as problem+json: 403 with the policy's code and sentence.
pub fn denied(reason: &DenyReason) -> ApiError {
    ApiError::denied(reason.clone())
}

pub fn request_id(headers: &HeaderMap) -> String {
    crate::middleware::request_id_of(headers)
}

/// The application's view of a representative's request.
pub fn act_for<'a>(
    state: &'a AppState,
    request_id: &'a str,
    representative: &'a Pid,
    subject: &'a Pid,
) -> ActFor<'a> {
    ActFor {
        log: &state.log,
        rules: &state.config.representation_rules,
        pseudo: &state.pseudo,
        request_id,
        representative,
        subject,
    }
}

/// A representative's view of `subject` (see [`represent::represented_view`]).
pub async fn represented_overview(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
) -> ApiResult<(Granted, Overview)> {
    let rid = request_id(headers);
    let a = act_for(state, &rid, representative, subject);
    Ok(represent::represented_overview(state.store.as_ref(), &a, state.config.today()).await?)
}

/// The view behind the acting-for page (see [`represent::represented_view`]).
pub async fn represented_view(
    state: &AppState,
    headers: &HeaderMap,
    representative: &Pid,
    subject: &Pid,
    with_acting: bool,
) -> ApiResult<(Granted, Overview, Option<represent::ActView>)> {
    let rid = request_id(headers);
    let a = act_for(state, &rid, representative, subject);
    Ok(
        represent::represented_view(state.store.as_ref(), &a, state.config.today(), with_acting)
            .await?,
    )
}

impl From<represent::Error> for ApiError {
    fn from(e: represent::Error) -> Self {
        use represent::Error as E;
        match e {
            E::Denied(r) => denied(&r),
            E::NotFound(m) => ApiError::not_found(m),
            E::Invalid { pointer, message } => ApiError::invalid(pointer, message),
            E::Conflict(m) => ApiError::conflict(m),
            E::Forbidden(m) => ApiError::forbidden(m),
            E::UnknownPerson => api::unknown_person(),
            E::Log(e) => e.into(),
            E::Store(e) => e.into(),
        }
    }
}
