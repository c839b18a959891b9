//! The citizen's own API: overview, paging, calendar feed.

use reqwest::header::COOKIE;
use serde_json::{json, Value};

use crate::helpers::{person, problem, TestApp};

#[tokio::test]
async fn without_a_session_nothing_is_shown() {
    let app = TestApp::spawn().await;
    problem(
        app.http
            .get(app.url("/api/v1/me/overview"))
            .send()
            .await
            .expect("req"),
        401,
    )
    .await;
    problem(
        app.get_as("samlet_session=forged", "/api/v1/me/overview")
            .await,
        401,
    )
    .await;
}

#[tokio::test]
async fn kari_subscribes_to_her_calendar_then_revokes_and_renews() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let kari = person(11);
    app.post_json(&nav, "/api/v1/deadlines", &json!({"pid": kari.as_str(), "deadline_id": "MK", "title": "Send meldekort", "due": "2026-12-01"})).await;
    app.post_json(&nav, "/api/v1/deadlines", &json!({"pid": kari.as_str(), "deadline_id": "MØTE", "title": "Møte", "due": "2026-12-02T10:00:00+01:00"})).await;
    app.post_json(&nav, "/api/v1/benefits", &json!({"pid": kari.as_str(), "benefit_id": "BT", "name": "Barnetrygd", "amount": "1766", "currency": "NOK", "next_payment": "2026-12-20"})).await;
    let cookie = app.login(&kari).await;

    // A cross-site form cannot send JSON: a form-encoded POST is refused.
    let r = app
        .http
        .post(app.url("/api/v1/me/calendar-url"))
        .header(COOKIE, &cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("")
        .send()
        .await
        .expect("req");
    problem(r, 415).await;

    let r = app
        .http
        .post(app.url("/api/v1/me/calendar-url"))
        .header(COOKIE, &cookie)
        .json(&json!({}))
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200);
    let url = r.json::<Value>().await.expect("json")["url"]
        .as_str()
        .expect("url")
        .to_owned();
    assert!(
        url.starts_with(&app.base) && url.ends_with(".ics?lang=nb"),
        "the feed keeps the language the link was made in: {url}"
    );
    let feed = app.http.get(&url).send().await.expect("feed");
    assert_eq!(
        feed.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let text = feed.text().await.expect("text");
    assert!(text.starts_with("BEGIN:VCALENDAR"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 3, "{text}");
    assert!(text.contains("SUMMARY:Frist: Send meldekort"));
    assert!(
        text.contains("SUMMARY:Utbetaling: Barnetrygd\\, 1\u{a0}766\\,00\u{a0}kr"),
        "{text}"
    );
    let en = app
        .http
        .get(url.replace("lang=nb", "lang=en"))
        .send()
        .await
        .expect("feed")
        .text()
        .await
        .expect("text");
    assert!(en.contains("SUMMARY:Deadline: Send meldekort"), "{en}");
    assert!(en.contains("NOK\u{a0}1\\,766.00"), "{en}");
    assert!(text.contains("DTSTART;VALUE=DATE:20261201"), "{text}");
    assert!(text.contains("BEGIN:VALARM"), "deadlines carry reminders");
    assert!(
        !text.contains(kari.as_str()),
        "the feed never contains the person id"
    );

    // Renew: the old URL stops working, the new one works.
    let r = app
        .http
        .post(app.url("/api/v1/me/calendar-url"))
        .header(COOKIE, &cookie)
        .json(&json!({}))
        .send()
        .await
        .expect("req");
    let url2 = r.json::<Value>().await.expect("json")["url"]
        .as_str()
        .expect("url")
        .to_owned();
    assert_ne!(url, url2);
    problem(app.http.get(&url).send().await.expect("old"), 404).await;
    assert_eq!(app.http.get(&url2).send().await.expect("new").status(), 200);

    let r = app
        .http
        .delete(app.url("/api/v1/me/calendar-url"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 204);
    problem(app.http.get(&url2).send().await.expect("revoked"), 404).await;
}

#[tokio::test]
async fn messages_are_paginated_newest_first() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let p = person(12);
    let lines: Vec<String> = (0..45).map(|i| json!({"kind": "message", "pid": p.as_str(), "message_id": format!("M{i:02}"), "subject": format!("Brev {i}"), "body": "b"}).to_string()).collect();
    app.bulk(&nav, lines.join("\n")).await;
    let cookie = app.login(&p).await;
    let mut seen = Vec::new();
    let mut page = 1;
    loop {
        let v: Value = app
            .get_as(
                &cookie,
                &format!("/api/v1/me/messages?page={page}&per_page=20"),
            )
            .await
            .json()
            .await
            .expect("json");
        for m in v["messages"].as_array().expect("messages") {
            seen.push(m["message_id"].as_str().unwrap_or_default().to_owned());
        }
        match v["next_page"].as_u64() {
            Some(n) => page = n as u32,
            None => break,
        }
    }
    assert_eq!(page, 3);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 45, "every message exactly once across pages");
}
