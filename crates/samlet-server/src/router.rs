//! Every route in one place.

use axum::http::HeaderName;
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

use crate::extract::{limit_body, BODY_LIMIT, BULK_BODY_LIMIT, ITEM_BODY_LIMIT};
use crate::transparency::http as tlog;
use crate::{api, auth, calendar, foresight, middleware, oidc, openapi, web, AppState};

pub fn router(state: AppState) -> Router {
    // Body limits by what a route needs: one pushed item (a message body
    // can be 256 KiB), the bulk upload, and small forms and JSON elsewhere.
    let items = Router::new()
        .route("/api/v1/cases", post(api::agency::post_case))
        .route(
            "/api/v1/cases/{case_id}/status",
            post(api::agency::post_status),
        )
        .route("/api/v1/deadlines", post(api::agency::post_deadline))
        .route("/api/v1/benefits", post(api::agency::post_benefit))
        .route("/api/v1/messages", post(api::agency::post_message))
        .route("/api/v1/events", post(api::journeys::post_event))
        .route(
            "/api/v1/journeys/{journey_id}/tasks/{task_id}/done",
            post(api::journeys::agency_done),
        );
    let bulk = Router::new().route("/api/v1/bulk", post(api::agency::post_bulk));
    let agency = Router::new()
        .route("/api/v1/agency", get(api::agency::whoami))
        .route("/api/v1/persons/{pid}/overview", get(tlog::person_overview))
        .route("/oauth/token", post(api::token::token));
    let me = Router::new()
        .route("/api/v1/me/overview", get(api::me::overview))
        .route("/api/v1/me/messages", get(api::me::messages))
        .route(
            "/api/v1/me/messages/{org}/{message_id}",
            get(api::me::open_message),
        )
        .route(
            "/api/v1/me/messages/{org}/{message_id}/read",
            post(api::me::mark_message_read),
        )
        .route(
            "/api/v1/me/calendar-url",
            post(api::me::create_calendar_url).delete(api::me::revoke_calendar_url),
        )
        .route("/calendar/{file}", get(calendar::calendar_feed))
        .route("/api/v1/me/journeys", get(api::journeys::me_journeys))
        .route(
            "/api/v1/me/journeys/{journey_id}/tasks/{task_id}/done",
            post(api::journeys::citizen_done),
        )
        .route("/api/v1/me/access-log", get(tlog::me_access_log))
        // Life events: the citizen answers questions no register can (api::journeys).
        .route(
            "/api/v1/me/journeys/{journey_id}/answers",
            post(api::journeys::citizen_answers),
        );
    // The public transparency log: hashes and signatures only.
    let log = Router::new()
        .route("/log/checkpoint", get(tlog::checkpoint))
        .route("/log/key", get(tlog::key))
        .route("/log/proof/inclusion", get(tlog::inclusion))
        .route("/log/proof/consistency", get(tlog::consistency))
        .route("/log/leaves", get(tlog::leaves))
        // transparency (issue 3): tlog-tiles and the auditor's details count
        .route("/log/tile/{*path}", get(tlog::tile))
        .route("/log/details-count", get(tlog::details_count));
    let web = Router::new()
        .route("/", get(web::landing))
        .route("/login", get(web::login_page))
        .route("/me", get(web::overview))
        .route("/me/messages/{org}/{message_id}", get(web::message))
        .route(
            "/me/messages/{org}/{message_id}/read",
            post(web::message_read),
        )
        .route("/me/access-log", get(tlog::access_log_html))
        .route("/me/calendar", post(web::calendar_create))
        .route("/me/calendar/revoke", post(web::calendar_revoke))
        .route("/me/journeys/{journey_id}", get(web::journey_page))
        .route(
            "/me/journeys/{journey_id}/tasks/{task_id}/done",
            post(web::journey_task_done),
        )
        .route("/lang/{code}", get(web::set_language))
        .route("/assets/{file}", get(web::asset))
        .route("/auth/dev/login", post(auth::dev_login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/login", get(oidc::login))
        .route("/auth/callback", get(oidc::callback))
        // Life events: the citizen's answers, as a form (web::journey_answers).
        .route(
            "/me/journeys/{journey_id}/answers",
            post(web::journey_answers),
        );
    let ops = Router::new()
        .route("/health", get(api::ops::health))
        .route("/ready", get(api::ops::ready))
        .route("/api/openapi.json", get(openapi::serve));
    // Public: explaining a published rule for a household the caller sends (see api::rules).
    let rules = Router::new()
        .route("/api/v1/rules", get(api::rules::list))
        .route("/api/v1/rules/{ruleset}/inputs", get(api::rules::inputs))
        .route(
            "/api/v1/rules/{ruleset}/explain",
            post(api::rules::post_explain),
        )
        .route("/rules/{ruleset}", get(web::rules_page));

    let small = Router::new()
        .merge(agency)
        .merge(me)
        .merge(web)
        .merge(ops)
        .merge(foresight::api_routes())
        .merge(foresight::page_routes())
        .merge(rules)
        .merge(log)
        // foresight (issue 6): the team's library pages and API
        .merge(foresight::team_routes())
        // Representation and consent (issue 4).
        .merge(crate::represent::routes())
        // Registered sharing bases between agencies.
        .merge(api::sharing::routes());
    let app = Router::new()
        .merge(limit_body(small, BODY_LIMIT))
        .merge(limit_body(items, ITEM_BODY_LIMIT))
        .merge(limit_body(bulk, BULK_BODY_LIMIT))
        .fallback(web::not_found);
    layers(app).with_state(state)
}

/// The layers around every route, outermost first: a request id (a
/// client's own only when valid), security headers, problem rewriting (adds
/// the request id), logging and metrics, and innermost the panic catcher,
/// so a panic still answers a problem with the request id, the headers and
/// a log line.
pub fn layers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let x_request_id = HeaderName::from_static("x-request-id");
    router.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn(
                middleware::drop_invalid_request_id,
            ))
            .layer(SetRequestIdLayer::new(
                x_request_id.clone(),
                MakeRequestUuid,
            ))
            .layer(PropagateRequestIdLayer::new(x_request_id))
            .layer(axum::middleware::from_fn(middleware::security_headers))
            .layer(axum::middleware::from_fn(middleware::problems))
            .layer(axum::middleware::from_fn(middleware::observe))
            .layer(CatchPanicLayer::custom(middleware::panic_response)),
    )
}

/// Prometheus metrics, for a listener of their own (`--metrics-listen`):
/// the public port does not serve them.
pub fn metrics_router(handle: metrics_exporter_prometheus::PrometheusHandle) -> Router {
    Router::new()
        .route("/metrics", get(api::ops::metrics))
        .with_state(handle)
}
