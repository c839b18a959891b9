//! Cross-cutting HTTP layers: request ids, metrics, request logging without
//! personal data, request ids on problems, security headers, and the answer
//! to a panic.

use std::sync::OnceLock;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::problem::ApiError;

/// One global recorder per process (tests start many servers in one process).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&[
                    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                ])
                .map(|b| b.build_recorder())
                .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
            let handle = recorder.handle();
            // Fails only if another recorder is installed; then ours just renders nothing.
            let _ = metrics::set_global_recorder(recorder);
            // The recorder queues every histogram sample until it is drained,
            // which otherwise happens only when `/metrics` is scraped: a
            // server nobody scrapes would grow by every request it serves.
            // Drain on a plain thread (one per process, like the recorder),
            // so it runs whichever runtime the server is on.
            let upkeep = handle.clone();
            let _ = std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || loop {
                    std::thread::sleep(std::time::Duration::from_secs(5));
                    upkeep.run_upkeep();
                });
            handle
        })
        .clone()
}

/// The route template (`/api/v1/persons/{pid}/overview`), never the raw
/// path: raw paths can carry person ids and calendar secrets.
fn route_of(req: &Request) -> String {
    req.extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into())
}

/// The longest client-chosen request id kept.
pub const MAX_REQUEST_ID: usize = 64;

/// A client's request id is kept when it is short and plain
/// (`[A-Za-z0-9._-]`, at most [`MAX_REQUEST_ID`]): it goes into log lines,
/// problem bodies and the permanent access log.
pub fn is_valid_request_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_REQUEST_ID
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The request's id, if it is one the server would have accepted: what
/// handlers write into the access log, so even a router built without the
/// request-id layers never stores an unbounded client value.
pub fn request_id_of(headers: &axum::http::HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|id| is_valid_request_id(id))
        .unwrap_or("")
        .to_owned()
}

/// Drop a client's `x-request-id` that is not a valid one, so that
/// tower-http's `SetRequestIdLayer` (which keeps any id already present)
/// generates a fresh one in its place.
pub async fn drop_invalid_request_id(mut req: Request, next: Next) -> Response {
    let valid = req
        .headers()
        .get_all("x-request-id")
        .iter()
        .map(|v| v.to_str().is_ok_and(is_valid_request_id))
        .collect::<Vec<_>>();
    if valid != [true] {
        req.headers_mut().remove("x-request-id");
    }
    next.run(req).await
}

/// A handler panicked: answer like any internal error. The payload is not
/// logged, since a panic message can quote the data it choked on.
pub fn panic_response(_payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "Something went wrong on our side",
        "The request failed on our side. Quote the request id if you ask for help.",
    )
    .into_response()
}

fn is_foresight_ballot_route(route: &str) -> bool {
    matches!(route, "/api/v1/foresight/ballots" | "/f/{code}/ballot")
}

/// Log one line per request and record Prometheus metrics.
pub async fn observe(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let route = route_of(&req);
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let span = tracing::info_span!("request", %method, %route, request_id = %request_id);
    let res = tracing::Instrument::instrument(next.run(req), span).await;
    let status = res.status().as_u16();
    let elapsed = start.elapsed();
    // Foresight ballots are not timed: a per-route count scraped every few
    // seconds would show how many ballots there are and when each arrived.
    if !is_foresight_ballot_route(&route) {
        metrics::histogram!("samlet_http_request_duration_seconds", "method" => method.to_string(), "route" => route.clone(), "status" => status.to_string())
            .record(elapsed.as_secs_f64());
    }
    // Outside the span, with the span's fields on the line itself: the JSON
    // formatter writes an entered span by parsing back, for every line, the
    // JSON it stored for the span's fields. Lines logged inside a handler
    // still carry the span.
    tracing::info!(
        %method,
        %route,
        request_id = %request_id,
        status,
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    res
}

/// Problems get the request id as `instance`; bare framework errors (405,
/// 413 from a layer) become problems too.
pub async fn problems(req: Request, next: Next) -> Response {
    let request_id = req.headers().get("x-request-id").cloned();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let (mut parts, body) = res.into_parts();
    let rid = request_id
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if ct.starts_with("application/problem+json") {
        let bytes = axum::body::to_bytes(body, 1024 * 1024)
            .await
            .unwrap_or_default();
        let mut v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
        if let (Some(obj), Some(rid)) = (v.as_object_mut(), rid) {
            obj.insert(
                "instance".into(),
                serde_json::Value::String(format!("urn:samlet:request:{rid}")),
            );
        }
        let body = serde_json::to_vec(&v).unwrap_or_default();
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::from(body));
    }
    if ct.is_empty() || ct.starts_with("text/plain") {
        let e = match status {
            StatusCode::METHOD_NOT_ALLOWED => ApiError::new(
                status,
                "method-not-allowed",
                "Method not allowed",
                "This address does not accept that HTTP method.",
            ),
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(crate::extract::BODY_LIMIT),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::unsupported_media("the documented content type")
            }
            s => {
                let bytes = axum::body::to_bytes(body, 64 * 1024)
                    .await
                    .unwrap_or_default();
                let text = String::from_utf8_lossy(&bytes).into_owned();
                ApiError::new(s, "request-error", "The request could not be handled", text)
            }
        };
        let mut p = e.to_problem(rid.map(|r| format!("urn:samlet:request:{r}")));
        p.status = status.as_u16();
        let mut out = (status, serde_json::to_vec(&p).unwrap_or_default()).into_response();
        out.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        for (k, v) in parts.headers.iter() {
            if k == header::WWW_AUTHENTICATE || k == header::ALLOW || k.as_str() == "x-request-id" {
                out.headers_mut().insert(k.clone(), v.clone());
            }
        }
        return out;
    }
    Response::from_parts(parts, body)
}

/// Conservative headers for every response.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // A handler may set a stricter policy of its own (the self-contained
    // foresight report allows exactly its inline style by hash).
    if h.contains_key(header::CONTENT_SECURITY_POLICY) {
        return res;
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    );
    res
}
