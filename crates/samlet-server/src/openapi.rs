//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "agency_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An access token from POST /oauth/token (JWT-bearer grant), or a dev token in dev mode."))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "Set by citizen login (ID-porten OpenID Connect, or /auth/dev/login in dev mode).",
            ))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Samlet",
        description = "One overview of the public sector. Agencies push cases, deadlines, benefits and messages; citizens see them in one place. Errors are RFC 9457 problem details.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        api::token::token,
        api::agency::whoami,
        api::agency::post_case,
        api::agency::post_status,
        api::agency::post_deadline,
        api::agency::post_benefit,
        api::agency::post_message,
        api::agency::post_bulk,
        api::me::overview,
        api::me::messages,
        api::me::open_message,
        api::me::create_calendar_url,
        api::me::revoke_calendar_url,
        crate::transparency::http::person_overview,
        crate::transparency::http::me_access_log,
        crate::transparency::http::checkpoint,
        crate::transparency::http::key,
        crate::transparency::http::inclusion,
        crate::transparency::http::consistency,
        crate::transparency::http::leaves,
        api::ops::health,
        api::ops::ready,
        api::ops::metrics,
    ),
    modifiers(&Security),
    tags(
        (name = "agency", description = "For agencies: push what they have going on with a person"),
        (name = "citizen", description = "For the logged-in person: their own overview"),
        (name = "transparency", description = "The public, tamper-evident access log: checkpoints and proofs"),
        (name = "operations", description = "Health, readiness and metrics")
    )
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
