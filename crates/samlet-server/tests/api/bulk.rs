//! Skatteetaten sends a nightly NDJSON file; every line gets a verdict.

use serde_json::{json, Value};

use crate::helpers::{person, problem, TestApp};

#[tokio::test]
async fn every_line_is_reported_and_good_lines_land() {
    let app = TestApp::spawn().await;
    let skatt = app.agency("97476107", "Skatteetaten").await;
    let p = person(7);
    let lines = [
        json!({"kind": "case", "pid": p.as_str(), "case_id": "S-1", "title": "Skattemelding", "status": "received", "opened_at": "2026-01-15T08:00:00Z"}).to_string(),
        json!({"kind": "status", "pid": p.as_str(), "case_id": "S-1", "status": "decided", "at": "2026-02-01T10:00:00Z"}).to_string(),
        String::new(),
        "{not json".to_string(),
        json!({"kind": "parcel", "pid": p.as_str()}).to_string(),
        json!({"kind": "deadline", "pid": p.as_str(), "deadline_id": "SD", "title": "Lever", "due": "2026-04-30"}).to_string(),
        json!({"kind": "benefit", "pid": "00000000000", "benefit_id": "x", "name": "n", "amount": "1", "currency": "NOK"}).to_string(),
        json!({"kind": "status", "pid": p.as_str(), "case_id": "NO-SUCH", "status": "closed", "at": "2026-02-01T10:00:00Z"}).to_string(),
        json!({"pid": p.as_str()}).to_string(),
        json!({"kind": "message", "pid": p.as_str(), "message_id": "SM", "subject": "Skatteoppgjør", "body": "Du får penger tilbake"}).to_string(),
    ];
    let r = app.bulk(&skatt, lines.join("\n")).await;
    assert_eq!(r.status(), 200);
    let report: Value = r.json().await.expect("json");
    assert_eq!(report["accepted"], 4, "{report}");
    assert_eq!(report["rejected"], 5, "{report}");
    let verdict = |line: u64| {
        report["lines"]
            .as_array()
            .and_then(|l| l.iter().find(|x| x["line"] == line))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(verdict(1)["status"], "accepted");
    assert_eq!(
        verdict(2)["status"],
        "accepted",
        "a status may refer to a case earlier in the same upload"
    );
    assert!(verdict(3).is_null(), "blank lines are skipped");
    assert_eq!(verdict(4)["status"], "rejected");
    assert!(verdict(4)["reason"]
        .as_str()
        .unwrap_or("")
        .contains("not valid JSON"));
    assert_eq!(verdict(5)["pointer"], "/kind");
    assert_eq!(verdict(7)["pointer"], "/pid");
    assert_eq!(verdict(8)["pointer"], "/case_id");
    assert_eq!(verdict(9)["pointer"], "/kind");
    assert_eq!(verdict(10)["id"], "SM");

    let o = app.overview(&app.login(&p).await).await;
    assert_eq!(o["cases"][0]["status"], "decided");
    assert_eq!(o["deadlines"][0]["deadline_id"], "SD");
    assert_eq!(o["messages"][0]["message_id"], "SM");
    assert_eq!(
        o["benefits"],
        json!([]),
        "the invalid benefit stored nothing"
    );
}

#[tokio::test]
async fn bulk_needs_ndjson_and_a_token() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let r = app
        .http
        .post(app.url("/api/v1/bulk"))
        .bearer_auth(&nav.token)
        .header("content-type", "text/csv")
        .body("a,b")
        .send()
        .await
        .expect("req");
    problem(r, 415).await;
    let r = app
        .http
        .post(app.url("/api/v1/bulk"))
        .header("content-type", "application/x-ndjson")
        .body("{}")
        .send()
        .await
        .expect("req");
    let v = problem(r, 401).await;
    assert!(v["detail"].as_str().unwrap_or("").contains("Bearer"));
}

#[tokio::test]
async fn a_large_upload_is_all_accepted() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let people: Vec<_> = (0..50).map(|i| person(100 + i)).collect();
    let body: Vec<String> = (0..5000)
        .map(|i| json!({"kind": "deadline", "pid": people[i % 50].as_str(), "deadline_id": format!("D{i}"), "title": "Frist", "due": "2026-06-01"}).to_string())
        .collect();
    let report: Value = app
        .bulk(&nav, body.join("\n"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(report["accepted"], 5000);
    let o = app.overview(&app.login(&people[0]).await).await;
    assert_eq!(o["deadlines"].as_array().map(Vec::len), Some(100));
}
