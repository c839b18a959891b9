//! The HTML side: pages render in both languages, forms carry CSRF tokens,
//! and nothing needs JavaScript.

use reqwest::header::{COOKIE, LOCATION};
use serde_json::json;

use crate::helpers::{csrf_in, person, TestApp};

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
    let csrf = csrf_in(&html);

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
    assert!(page.contains(".ics?lang=nb"), "the calendar URL is shown");

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
async fn opening_a_message_page_by_get_never_marks_it_read_only_the_post_does() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let p = person(33);
    app.post_json(&nav, "/api/v1/messages", &json!({"pid": p.as_str(), "message_id": "V 1", "subject": "Vedtak", "body": "Du har fått innvilget"})).await;
    let cookie = app.login(&p).await;
    // The overview lists the unread message as a form that marks it read.
    let me = app.get_as(&cookie, "/me").await.text().await.expect("html");
    let action = format!("/me/messages/{}/V%201/read", nav.org);
    assert!(me.contains(&format!("action=\"{action}\"")), "{me}");
    let csrf = csrf_in(&me);
    // A GET shows the message (twice, as a link preview would) and changes nothing.
    for _ in 0..2 {
        let r = app
            .get_as(&cookie, &format!("/me/messages/{}/V%201", nav.org))
            .await;
        assert_eq!(r.status(), 200);
        let html = r.text().await.expect("html");
        assert!(html.contains("Du har fått innvilget"));
        assert!(
            html.contains("data-testid=\"mark-read\""),
            "offers to mark it read"
        );
    }
    assert_eq!(app.overview(&cookie).await["unread_messages"], 1);
    // A POST without the session's CSRF token is refused and changes nothing.
    let post = |csrf: String| {
        app.http
            .post(app.url(&action))
            .header(COOKIE, &cookie)
            .form(&[("csrf", csrf)])
            .send()
    };
    assert_eq!(post("forged".into()).await.expect("post").status(), 403);
    assert_eq!(app.overview(&cookie).await["unread_messages"], 1);
    let r = post(csrf.clone()).await.expect("post");
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()[LOCATION],
        format!("/me/messages/{}/V%201", nav.org).as_str()
    );
    assert_eq!(app.overview(&cookie).await["unread_messages"], 0);
    let html = app
        .get_as(&cookie, &format!("/me/messages/{}/V%201", nav.org))
        .await
        .text()
        .await
        .expect("html");
    assert!(!html.contains("data-testid=\"mark-read\""), "already read");

    let other = app.login(&person(34)).await;
    assert_eq!(
        app.get_as(&other, &format!("/me/messages/{}/V%201", nav.org))
            .await
            .status(),
        404
    );
    let other_csrf = csrf_in(&app.get_as(&other, "/me").await.text().await.expect("html"));
    let r = app
        .http
        .post(app.url(&action))
        .header(COOKIE, &other)
        .form(&[("csrf", other_csrf)])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 404, "another person cannot mark it read");
}

#[tokio::test]
async fn next_redirects_stay_on_the_site() {
    let app = TestApp::spawn().await;
    let p = person(35);
    for evil in [
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "https://evil.example",
        "/.//evil.example",
        "\\/evil.example",
    ] {
        let r = app
            .http
            .post(app.url("/auth/dev/login"))
            .form(&[("pid", p.as_str()), ("next", evil)])
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()[LOCATION], "/me", "dev login next={evil:?}");
        let r = app
            .http
            .get(app.url("/lang/en"))
            .query(&[("next", evil)])
            .send()
            .await
            .expect("lang");
        assert_eq!(r.headers()[LOCATION], "/me", "/lang next={evil:?}");
    }
    let r = app
        .http
        .get(app.url("/lang/da"))
        .query(&[("next", "/me/mandates?x=1")])
        .send()
        .await
        .expect("lang");
    assert_eq!(r.headers()[LOCATION], "/me/mandates?x=1");
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
        // Representation: acting for someone.
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
