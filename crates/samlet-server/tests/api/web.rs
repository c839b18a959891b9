//! The HTML side: pages render in both languages, forms carry CSRF tokens,
//! and nothing needs JavaScript.

use reqwest::header::{COOKIE, LOCATION};
use serde_json::json;

use crate::helpers::{person, TestApp};

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("csrf field");
    html[start..].split('"').next().expect("value").to_owned()
}

#[tokio::test]
async fn the_overview_page_shows_everything_in_bokmal_and_english() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let p = person(31);
    app.post_json(&nav, "/api/v1/deadlines", &json!({"pid": p.as_str(), "deadline_id": "MK", "title": "Send meldekort", "due": "2020-03-01"})).await;
    app.post_json(&nav, "/api/v1/benefits", &json!({"pid": p.as_str(), "benefit_id": "BT", "name": "Barnetrygd", "amount": "1766", "currency": "NOK"})).await;
    app.post_json(&nav, "/api/v1/messages", &json!({"pid": p.as_str(), "message_id": "M<1>", "subject": "<script>alert(1)</script>", "body": "Hei"})).await;
    let cookie = app.login(&p).await;

    let html = app.get_as(&cookie, "/me").await.text().await.expect("html");
    assert!(html.contains("<html lang=\"nb\""));
    assert!(
        html.contains("Frister")
            && html.contains("Send meldekort")
            && html.contains("Fristen er passert")
    );
    assert!(
        html.contains("1\u{a0}766,00\u{a0}kr"),
        "money in Norwegian format"
    );
    assert!(html.contains("1. mars 2020"), "dates in Norwegian");
    assert!(
        html.contains("Frister som er passert: 1") && html.contains("Uleste meldinger: 1"),
        "the to-do summary counts what needs attention"
    );
    assert!(
        !html.contains("<script>alert(1)</script>"),
        "agency text is escaped"
    );
    assert!(html.contains("/assets/designsystemet.css"));
    assert!(
        !html.contains(p.as_str()),
        "the full person id is not printed on the page"
    );

    let en = app
        .http
        .get(app.url("/me"))
        .header(COOKIE, &cookie)
        .header("accept-language", "en-GB,en")
        .send()
        .await
        .expect("req")
        .text()
        .await
        .expect("html");
    assert!(
        en.contains("<html lang=\"en\"")
            && en.contains("Deadlines")
            && en.contains("NOK\u{a0}1,766.00")
            && en.contains("1 March 2020")
    );
}

#[tokio::test]
async fn not_logged_in_goes_to_login_and_forms_need_the_csrf_token() {
    let app = TestApp::spawn().await;
    let r = app.http.get(app.url("/me")).send().await.expect("req");
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[LOCATION], "/login?next=%2Fme");
    let login = app
        .http
        .get(app.url("/login"))
        .send()
        .await
        .expect("req")
        .text()
        .await
        .expect("html");
    assert!(
        login.contains("action=\"/auth/dev/login\""),
        "dev mode shows the dev login form"
    );

    let p = person(32);
    let cookie = app.login(&p).await;
    let html = app.get_as(&cookie, "/me").await.text().await.expect("html");
    let csrf = csrf_of(&html);

    // Without the token: refused. With it: the calendar page shows a URL.
    let r = app
        .http
        .post(app.url("/me/calendar"))
        .header(COOKIE, &cookie)
        .form(&[("csrf", "wrong")])
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 403);
    let r = app
        .http
        .post(app.url("/me/calendar"))
        .header(COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let page = r.text().await.expect("html");
    assert!(page.contains(".ics\""), "the calendar URL is shown");

    // Logging out ends the session.
    let r = app
        .http
        .post(app.url("/auth/logout"))
        .header(COOKIE, &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.get_as(&cookie, "/me").await.status(),
        303,
        "the old cookie no longer works"
    );
}

#[tokio::test]
async fn opening_a_message_page_marks_it_read_and_shows_the_body() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let p = person(33);
    app.post_json(&nav, "/api/v1/messages", &json!({"pid": p.as_str(), "message_id": "V-1", "subject": "Vedtak", "body": "Du har fått innvilget"})).await;
    let cookie = app.login(&p).await;
    let r = app
        .get_as(&cookie, &format!("/me/messages/{}/V-1", nav.org))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .expect("html")
        .contains("Du har fått innvilget"));
    assert_eq!(app.overview(&cookie).await["unread_messages"], 0);
    let other = app.login(&person(34)).await;
    assert_eq!(
        app.get_as(&other, &format!("/me/messages/{}/V-1", nav.org))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn operations_endpoints_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.http
            .get(app.url("/health"))
            .send()
            .await
            .expect("req")
            .text()
            .await
            .expect("t"),
        "ok"
    );
    let ready: serde_json::Value = app
        .http
        .get(app.url("/ready"))
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert_eq!(ready["database"], "sqlite");
    let spec: serde_json::Value = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("req")
        .json()
        .await
        .expect("json");
    assert!(spec["openapi"].as_str().unwrap_or("").starts_with("3.1"));
    for path in [
        "/api/v1/cases",
        "/api/v1/bulk",
        "/api/v1/me/overview",
        "/oauth/token",
        "/api/v1/me/calendar-url",
        // Representation: acting for someone (issue 4).
        "/api/v1/represented/{pid}/overview",
        "/api/v1/represented/{pid}/messages/{org}/{message_id}/read",
        "/api/v1/represented/{pid}/consent-requests",
        "/api/v1/represented/{pid}/consent-requests/{id}/approve",
        "/api/v1/represented/{pid}/consent-requests/{id}/decline",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} documented");
    }
    let people = &spec["components"]["schemas"]["RepresentedPerson"]["properties"];
    for field in ["pid", "kinds", "scopes", "actions", "bases"] {
        assert!(
            people.get(field).is_some(),
            "RepresentedPerson.{field}: {people}"
        );
    }
    let r = app
        .http
        .delete(app.url("/health"))
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    assert!(r.headers().get("x-request-id").is_some());
}
