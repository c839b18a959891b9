//! Every route in one place.

use axum::http::HeaderName;
use axum::routing::{get, post};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{limit_body, BODY_LIMIT, BULK_BODY_LIMIT, ITEM_BODY_LIMIT};
use crate::transparency::http as tlog;
use crate::{api, auth, calendar, foresight, middleware, oidc, openapi, web, AppState};

pub fn router(state: AppState) -> Router {
    let (app, _) = routes();
    layers(app.fallback(web::not_found)).with_state(state)
}

/// Every route, and the OpenAPI operations of those that have one: a
/// handler's `#[utoipa::path]` is both its route and its documentation.
pub(crate) fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    // Body limits by what a route needs: one pushed item (a message body
    // can be 256 KiB), the bulk upload, and small forms and JSON elsewhere.
    let items = OpenApiRouter::new()
        .routes(routes!(api::agency::post_case))
        .routes(routes!(api::agency::post_status))
        .routes(routes!(api::agency::post_deadline))
        .routes(routes!(api::agency::post_benefit))
        .routes(routes!(api::agency::post_message))
        .routes(routes!(api::journeys::post_event))
        .routes(routes!(api::journeys::agency_done));
    let bulk = OpenApiRouter::new().routes(routes!(api::agency::post_bulk));
    let agency = OpenApiRouter::new()
        .routes(routes!(api::agency::whoami))
        .routes(routes!(tlog::person_overview))
        .routes(routes!(api::token::token));
    let me = OpenApiRouter::new()
        .routes(routes!(api::me::overview))
        .routes(routes!(api::me::messages))
        .routes(routes!(api::me::open_message))
        .routes(routes!(api::me::mark_message_read))
        .routes(routes!(
            api::me::create_calendar_url,
            api::me::revoke_calendar_url
        ))
        .route("/calendar/{file}", get(calendar::calendar_feed))
        .routes(routes!(api::journeys::me_journeys))
        .routes(routes!(api::journeys::citizen_done))
        .routes(routes!(tlog::me_access_log))
        // Life events: the citizen answers questions no register can (api::journeys).
        .routes(routes!(api::journeys::citizen_answers));
    // The public transparency log: hashes and signatures only.
    let log = OpenApiRouter::new()
        .routes(routes!(tlog::checkpoint))
        .routes(routes!(tlog::key))
        .routes(routes!(tlog::inclusion))
        .routes(routes!(tlog::consistency))
        .routes(routes!(tlog::leaves))
        // A wildcard segment has no OpenAPI form: documented in openapi.rs.
        .route("/log/tile/{*path}", get(tlog::tile))
        .routes(routes!(tlog::details_count));
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
    let ops = OpenApiRouter::new()
        .routes(routes!(api::ops::health))
        .routes(routes!(api::ops::ready))
        .route("/api/openapi.json", get(openapi::serve));
    // Public: explaining a published rule for a household the caller sends (see api::rules).
    let rules = OpenApiRouter::new()
        .routes(routes!(api::rules::list))
        .routes(routes!(api::rules::inputs))
        .routes(routes!(api::rules::post_explain))
        .route("/rules/{ruleset}", get(web::rules_page));

    let small = OpenApiRouter::new()
        .merge(agency)
        .merge(me)
        .merge(web.into())
        .merge(ops)
        .merge(foresight::api_routes())
        .merge(foresight::page_routes().into())
        .merge(rules)
        .merge(log)
        // foresight: the team's library pages and API
        .merge(foresight::team_routes())
        // Representation and consent.
        .merge(crate::represent::routes())
        // Registered sharing bases between agencies.
        .merge(api::sharing::routes());
    let mut doc = openapi::ApiDoc::openapi();
    let mut limited = |group: OpenApiRouter<AppState>, limit: usize| {
        let (router, paths) = group.split_for_parts();
        doc.merge(paths);
        limit_body(router, limit)
    };
    let app = Router::new()
        .merge(limited(small, BODY_LIMIT))
        .merge(limited(items, ITEM_BODY_LIMIT))
        .merge(limited(bulk, BULK_BODY_LIMIT));
    (app, doc)
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
