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
        c.add_security_scheme(
            "team_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A foresight session's team key (fk_…), printed once by `samlet foresight session create`."))
                    .build(),
            ),
        );
        c.add_security_scheme(
            "participant_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A participant token (fp_…) from POST /api/v1/foresight/join.",
                    ))
                    .build(),
            ),
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
        api::journeys::post_event,
        api::journeys::agency_done,
        api::me::overview,
        api::journeys::me_journeys,
        api::journeys::citizen_done,
        api::me::messages,
        api::me::open_message,
        api::me::mark_message_read,
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
        crate::foresight::api::library,
        crate::foresight::api::create,
        crate::foresight::api::session,
        crate::foresight::api::close,
        crate::foresight::api::reveal,
        crate::foresight::api::results,
        crate::foresight::api::join,
        crate::foresight::api::ballot,
        api::rules::list,
        api::rules::inputs,
        api::rules::post_explain,
        // foresight (issue 6): the team's library edits and the PDF report
        crate::foresight::team::put_force,
        crate::foresight::team::delete_force,
        crate::foresight::team::put_theme,
        crate::foresight::team::delete_theme,
        crate::foresight::team::put_trend,
        crate::foresight::team::delete_trend,
        crate::foresight::api::report_pdf,
        // Life events (issue 5, second step).
        api::journeys::citizen_answers,
        // transparency (issue 3): tlog-tiles and the auditor's details count
        crate::transparency::http::tile,
        crate::transparency::http::details_count,
        // Representation and consent (issue 4).
        crate::represent::api::post_mandate,
        crate::represent::api::get_mandates,
        crate::represent::api::delete_mandate,
        crate::represent::api::get_represented,
        crate::represent::api::get_represented_overview,
        crate::represent::api::post_guardianship,
        crate::represent::api::delete_guardianship,
        crate::represent::api::post_parental,
        crate::represent::api::post_names,
        crate::represent::api::post_consent_request,
        crate::represent::api::get_consent_requests,
        crate::represent::api::approve,
        crate::represent::api::decline,
        crate::represent::api::delete_consent,
        crate::represent::api::get_share,
        crate::api::sharing::list,
        crate::api::sharing::accept,
        crate::api::sharing::revoke,
        crate::represent::api::get_support,
        crate::represent::act::post_message_read,
        crate::represent::act::get_consent_requests,
        crate::represent::act::post_consent_approve,
        crate::represent::act::post_consent_decline,
    ),
    modifiers(&Security),
    tags(
        (name = "agency", description = "For agencies: push what they have going on with a person"),
        (name = "citizen", description = "For the logged-in person: their own overview"),
        (name = "operations", description = "Health and readiness"),
        (name = "foresight", description = "Foresight: driving forces and trends, anonymous evaluations of importance and preparedness, the strategic blind spot"),
        (name = "rules", description = "Public: explain published rules as code for a household the caller sends"),
        (name = "transparency", description = "The public, tamper-evident access log: checkpoints and proofs"),
        // Representation and consent (issue 4).
        (name = "representation", description = "Acting for someone: powers of attorney, guardianships, parental authority; the representative's list and views"),
        (name = "consent", description = "Consent-based sharing between agencies: requests, answers, revocation and the sharing read")
    )
)]
pub struct ApiDoc;

pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
