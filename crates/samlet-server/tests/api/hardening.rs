//! HTTP hardening: request ids, body limits, JSON depth, panics, numeric
//! query parameters and the metrics listener. A hostile client tries each.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config as PropConfig, TestRunner};
use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::helpers::{person, problem, serve_router, TestApp};

const EXPLAIN: &str = "/api/v1/rules/child-benefit/explain";

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

#[tokio::test]
async fn a_clients_request_id_is_kept_only_when_short_and_plain() {
    let app = TestApp::spawn().await;
    let send = |id: Vec<u8>| {
        let req = app.http.get(app.url("/health"));
        let req = match reqwest::header::HeaderValue::from_bytes(&id) {
            Ok(v) => req.header("x-request-id", v),
            Err(_) => req,
        };
        async move { req.send().await.expect("request") }
    };
    let kept = "trace-42.Ab_c";
    let res = send(kept.as_bytes().to_vec()).await;
    assert_eq!(header(&res, "x-request-id"), kept);
    let sixty_four = "a".repeat(64);
    let res = send(sixty_four.clone().into_bytes()).await;
    assert_eq!(header(&res, "x-request-id"), sixty_four);
    for bad in [
        "a".repeat(65),
        "x".repeat(4000),
        "with space".to_owned(),
        "semi;colon".to_owned(),
        "{\"json\":1}".to_owned(),
        "Kari Nordmann 01017012345".to_owned(),
    ] {
        let res = send(bad.clone().into_bytes()).await;
        let got = header(&res, "x-request-id");
        assert_ne!(got, bad);
        assert!(is_plain_id(got), "a fresh id, not {got:?}");
    }
    let res = send(b"\xf8ystein".to_vec()).await;
    assert!(is_plain_id(header(&res, "x-request-id")));
    // Problems quote the same id the response carries.
    let res = app
        .http
        .delete(app.url("/health"))
        .header("x-request-id", "x".repeat(500))
        .send()
        .await
        .expect("request");
    let id = header(&res, "x-request-id").to_owned();
    assert!(is_plain_id(&id));
    let p = problem(res, 405).await;
    assert_eq!(p["instance"], format!("urn:samlet:request:{id}"));
}

#[tokio::test]
async fn the_access_log_never_stores_an_unbounded_request_id() {
    access_log_request_id(TestApp::spawn().await).await;
}

#[tokio::test]
async fn the_access_log_never_stores_an_unbounded_request_id_on_postgres() {
    if let Some(app) = TestApp::builder().postgres().try_spawn().await {
        access_log_request_id(app).await;
    }
}

async fn access_log_request_id(app: TestApp) {
    let nav = app.agency("88964078", "NAV").await;
    let kari = person(3);
    let cookie = app.login(&kari).await;
    let long_id = "r".repeat(10_000);
    let res = app
        .http
        .get(app.url(&format!("/api/v1/persons/{kari}/overview")))
        .bearer_auth(&nav.token)
        .header("Samlet-Purpose", "Behandle søknad om dagpenger")
        .header("Samlet-Legal-Basis", "Folketrygdloven kapittel 4")
        .header("x-request-id", &long_id)
        .send()
        .await
        .expect("read");
    assert_eq!(res.status(), 200);
    let served_as = header(&res, "x-request-id").to_owned();
    assert!(is_plain_id(&served_as));
    let log: Value = app
        .get_as(&cookie, "/api/v1/me/access-log")
        .await
        .json()
        .await
        .expect("json");
    let ids: Vec<&str> = log["entries"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["request_id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, [served_as.as_str()], "{log}");
}

/// A raw HTTP/1.1 request head to `addr`.
async fn raw(app: &TestApp) -> tokio::net::TcpStream {
    let addr = app.base.trim_start_matches("http://");
    tokio::net::TcpStream::connect(addr).await.expect("connect")
}

/// Read one response: its head, and its body by `Content-Length`.
async fn read_response(stream: &mut tokio::net::TcpStream) -> (String, Value) {
    let mut buf = vec![0u8; 16 * 1024];
    let mut got = Vec::new();
    loop {
        if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&got[..end]).into_owned();
            let len: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            if got.len() >= end + 4 + len {
                let body = serde_json::from_slice(&got[end + 4..end + 4 + len]).unwrap_or_default();
                return (head, body);
            }
        }
        let n = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buf))
            .await
            .expect("answer in time")
            .expect("read");
        assert!(n > 0, "connection closed without an answer");
        got.extend_from_slice(&buf[..n]);
    }
}

/// POST a head announcing `len` bytes of body, send none of it, and read
/// the answer: a limit checked before reading answers at once.
async fn announce(app: &TestApp, path: &str, headers: &str, len: usize) -> (String, Value) {
    let mut s = raw(app).await;
    let head = format!("POST {path} HTTP/1.1\r\nHost: x\r\n{headers}Content-Length: {len}\r\n\r\n");
    s.write_all(head.as_bytes()).await.expect("write");
    read_response(&mut s).await
}

#[tokio::test]
async fn a_10_mib_body_with_content_length_is_refused_before_it_is_read() {
    let app = TestApp::spawn().await;
    let (head, p) = announce(
        &app,
        EXPLAIN,
        "Content-Type: application/json\r\n",
        10 * 1024 * 1024,
    )
    .await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(head.contains("application/problem+json"), "{head}");
    assert!(head.contains("x-request-id"), "{head}");
    assert_eq!(p["status"], 413);
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("64 KiB")),
        "{p}"
    );
    assert!(p["instance"]
        .as_str()
        .is_some_and(|i| i.starts_with("urn:samlet:request:")));
}

#[tokio::test]
async fn a_streamed_body_without_content_length_is_cut_off_at_the_limit() {
    let app = TestApp::spawn().await;
    let mut s = raw(&app).await;
    let head = format!(
        "POST {EXPLAIN} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.expect("write");
    let (mut rd, mut wr) = s.into_split();
    let answered = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = answered.clone();
    let reader = tokio::spawn(async move {
        let mut buf = vec![0u8; 16 * 1024];
        let mut got = Vec::new();
        while !got.windows(4).any(|w| w == b"\r\n\r\n") {
            match rd.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        String::from_utf8_lossy(&got).into_owned()
    });
    let chunk = vec![b' '; 32 * 1024];
    let mut sent = 0usize;
    while sent < 10 * 1024 * 1024 && !answered.load(std::sync::atomic::Ordering::SeqCst) {
        let mut frame = format!("{:x}\r\n", chunk.len()).into_bytes();
        frame.extend_from_slice(&chunk);
        frame.extend_from_slice(b"\r\n");
        if wr.write_all(&frame).await.is_err() {
            break;
        }
        sent += chunk.len();
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let answer = tokio::time::timeout(Duration::from_secs(10), reader)
        .await
        .expect("answered")
        .expect("reader");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("application/problem+json"), "{answer}");
    assert!(
        sent < 2 * 1024 * 1024,
        "the server answered only after {sent} bytes"
    );
}

#[tokio::test]
async fn bulk_and_single_items_keep_the_room_they_need() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let kari = person(3);
    // About 1 MiB of NDJSON is far above the small limit and fine for bulk.
    let ndjson: String = (0..4000)
        .map(|i| {
            format!(
                "{}\n",
                json!({"kind": "case", "pid": kari.as_str(), "case_id": format!("c-{i}"),
                       "title": format!("Søknad {i} {}", "x".repeat(200)), "status": "received"})
            )
        })
        .collect();
    assert!(ndjson.len() > 1024 * 1024);
    let res = app.bulk(&nav, ndjson).await;
    assert_eq!(res.status(), 200);
    // One item may be larger than a citizen's form, but not without end.
    let auth = format!(
        "Authorization: Bearer {}\r\nContent-Type: application/json\r\n",
        nav.token
    );
    let (head, p) = announce(&app, "/api/v1/cases", &auth, 3 * 1024 * 1024).await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    assert!(
        p["detail"].as_str().is_some_and(|d| d.contains("2 MiB")),
        "{p}"
    );
    let (head, _) = announce(&app, "/api/v1/bulk", &auth, 11 * 1024 * 1024).await;
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
    // A message body of 200 KiB fits.
    let message = json!({"pid": kari.as_str(), "message_id": "m-1", "subject": "Vedtak",
                         "body": "æ".repeat(100 * 1024)});
    let res = app.post_json(&nav, "/api/v1/messages", &message).await;
    assert_eq!(res.status(), 200, "{:?}", res.text().await);
    // Web forms get the small limit.
    let res = app
        .http
        .post(app.url("/auth/dev/login"))
        .form(&[("pid", "x".repeat(100 * 1024))])
        .send()
        .await
        .expect("request");
    problem(res, 413).await;
}

#[tokio::test]
async fn json_nested_too_deep_is_a_400_naming_the_pointer() {
    let app = TestApp::spawn().await;
    let body = format!("{{\"household\": {}1{}}}", "[".repeat(100), "]".repeat(100));
    let res = app
        .http
        .post(app.url(EXPLAIN))
        .header(CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    let p = problem(res, 400).await;
    assert_eq!(p["type"], "https://samlet.dev/problems/too-deep");
    let pointer = p["pointer"].as_str().unwrap_or_default();
    assert!(pointer.starts_with("/household/0/0/0"), "{pointer}");
    // A key made of brackets and escapes gets an exact pointer, no panic.
    let res = app
        .http
        .post(app.url(EXPLAIN))
        .header(CONTENT_TYPE, "application/json")
        .body(r#"{"household": {"[]]": {"~/": 1}}, "period": 7}"#)
        .send()
        .await
        .expect("request");
    assert!(res.status().is_client_error(), "{}", res.status());
}

/// Collects what the server logs, as JSON lines.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = self.0.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_panic_answers_a_problem_with_request_id_headers_and_a_log_line() {
    let lines = Lines::default();
    let sink = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .json()
        .with_writer(move || sink.clone())
        .finish();
    // This test's runtime is one thread, so the server's tasks log here too.
    let _guard = tracing::subscriber::set_default(subscriber);
    // Another test's thread may have cached the request span's callsite as
    // "never" while only a no-op subscriber existed; recompute it now that
    // this one is registered, or the span's fields go missing.
    tracing::callsite::rebuild_interest_cache();
    let base = serve_router(|_| {
        samlet_server::layers(axum::Router::new().route(
            "/boom",
            axum::routing::get(|| async {
                if std::hint::black_box(true) {
                    panic!("a bug in a handler");
                }
                "never"
            }),
        ))
    })
    .await;
    let res = reqwest::Client::new()
        .get(format!("{base}/boom"))
        .header("x-request-id", "panic-test-1")
        .send()
        .await
        .expect("an answer, not a dropped connection");
    assert_eq!(header(&res, "x-request-id"), "panic-test-1");
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert_eq!(header(&res, "x-frame-options"), "DENY");
    assert!(header(&res, "content-security-policy").contains("default-src"));
    let p = problem(res, 500).await;
    assert_eq!(p["instance"], "urn:samlet:request:panic-test-1");
    let logged = String::from_utf8(lines.0.lock().map(|v| v.clone()).unwrap_or_default())
        .unwrap_or_default();
    // The panic is logged inside the request's span: the catcher sits
    // inside the logging layer, so the line has the route and request id.
    let line = logged
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["fields"]["message"] == "a request handler panicked")
        .unwrap_or_else(|| panic!("a panic line in {logged}"));
    assert_eq!(line["span"]["request_id"], "panic-test-1", "{line}");
    assert_eq!(line["span"]["route"], "/boom", "{line}");
    assert_eq!(line["level"], "ERROR", "{line}");
}

/// Numeric parameters every path takes, and what a cookie is needed for.
const NUMERIC: &[(&str, &[&str])] = &[
    ("/log/leaves", &["start", "limit"]),
    ("/log/proof/inclusion?index=0&size=1", &["index", "size"]),
    ("/log/proof/consistency?from=1&to=1", &["from", "to"]),
    ("/log/details-count?start=0&end=1", &["start", "end"]),
    ("/api/v1/me/access-log", &["page", "per_page"]),
    ("/api/v1/me/messages", &["page", "per_page"]),
    ("/api/v1/represented", &["page", "per_page"]),
    ("/me/access-log", &["page", "per_page"]),
    ("/me/acting-for", &["page", "per_page"]),
    ("/me", &["page"]),
];

fn with_param(path: &str, name: &str, value: &str) -> String {
    let value: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let (base, query) = path.split_once('?').unwrap_or((path, ""));
    let rest: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with(&format!("{name}=")))
        .collect();
    let mut q = rest.join("&");
    if !q.is_empty() {
        q.push('&');
    }
    format!("{base}?{q}{name}={value}")
}

#[tokio::test]
async fn numeric_query_parameters_out_of_range_are_a_4xx_with_a_pointer() {
    let app = TestApp::spawn().await;
    let cookie = app.login(&person(3)).await;
    for (path, names) in NUMERIC {
        for name in *names {
            for bad in [
                "-1",
                "0",
                "abc",
                "",
                "1.5",
                "4294967296",
                "18446744073709551615",
                "99999999999999999999999",
            ] {
                if bad == "0" && ["start", "index", "from", "end"].contains(name) {
                    continue; // 0 is a real leaf index, and 0..0 an empty range
                }
                // Beyond the log's end is an empty answer, not an error.
                let empty = match (*name, bad) {
                    ("start", "4294967296") => true,
                    ("start", "18446744073709551615") => path.starts_with("/log/details-count"),
                    ("end", "4294967296" | "18446744073709551615") => true,
                    _ => false,
                };
                if empty {
                    continue;
                }
                let url = with_param(path, name, bad);
                let res = app.get_as(&cookie, &url).await;
                let status = res.status().as_u16();
                assert!((400..500).contains(&status), "{url}: {status}");
                if !(path.starts_with("/api/") || path.starts_with("/log/")) {
                    continue; // a web page shows the problem as a page
                }
                let p = problem(res, status).await;
                let pointer = p["pointer"].as_str().unwrap_or_default();
                assert!(pointer.starts_with("/query/"), "{url}: {p}");
            }
        }
    }
    for tile in [
        "/log/tile/0/x999/x999/x999/x999/x999/x999/999",
        "/log/tile/entries/x018/x446/x744/x073/x709/x551/615",
        "/log/tile/0/000.p/0",
        "/log/tile/9999/000",
        "/log/tile/[]]",
    ] {
        let res = app.get_as(&cookie, tile).await;
        let p = problem(res, 404).await;
        assert_eq!(p["pointer"], "/path", "{tile}");
    }
}

#[test]
fn any_string_in_a_numeric_query_parameter_is_never_a_5xx() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (app, cookie) = rt.block_on(async {
        let app = TestApp::spawn().await;
        let cookie = app.login(&person(3)).await;
        (app, cookie)
    });
    let mut runner = TestRunner::new(PropConfig::with_cases(200));
    let cases = (
        0..NUMERIC.len(),
        0usize..2,
        prop_oneof![".{0,24}", "-?[0-9]{1,25}", "[0-9]{1,3}[.e+][0-9]{0,3}"],
    );
    runner
        .run(&cases, |(which, name, value)| {
            let (path, names) = NUMERIC[which];
            let name = names[name % names.len()];
            let url = with_param(path, name, &value);
            let status = rt.block_on(async { app.get_as(&cookie, &url).await.status() });
            prop_assert!(!status.is_server_error(), "{} → {}", url, status);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[tokio::test]
async fn metrics_are_served_on_their_own_listener_only() {
    let app = TestApp::builder().metrics().spawn().await;
    app.http.get(app.url("/health")).send().await.expect("req");
    let res = app.http.get(app.url("/metrics")).send().await.expect("req");
    assert_eq!(res.status(), 404, "not on the public port");
    let metrics = app.metrics_base.as_deref().expect("metrics listener");
    let body = reqwest::get(format!("{metrics}/metrics"))
        .await
        .expect("metrics listener")
        .text()
        .await
        .expect("text");
    assert!(
        body.contains("samlet_http_request_duration_seconds"),
        "{body}"
    );
    // The public API description does not offer it either.
    let spec: Value = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert!(spec["paths"].get("/metrics").is_none());
}
