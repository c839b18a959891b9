//! NAV pushes a case, its status changes, a deadline, a benefit and a
//! message for Kari; she sees them all, from NAV, in her overview.

use serde_json::json;

use crate::helpers::{person, problem, TestApp};

#[tokio::test]
async fn nav_pushes_everything_and_kari_sees_it() {
    nav_pushes_everything_and_kari_sees_it_on(TestApp::spawn().await).await;
}

#[tokio::test]
async fn nav_pushes_everything_and_kari_sees_it_on_postgresql() {
    if let Some(app) = TestApp::builder().postgres().try_spawn().await {
        nav_pushes_everything_and_kari_sees_it_on(app).await;
    }
}

async fn nav_pushes_everything_and_kari_sees_it_on(app: TestApp) {
    let nav = app.agency("88964078", "NAV").await;
    let kari = person(1);
    let p = kari.as_str();

    let r = app.post_json(&nav, "/api/v1/cases", &json!({"pid": p, "case_id": "DP-1", "title": "Søknad om dagpenger", "status": "received", "service": "dagpenger", "opened_at": "2026-01-05T09:00:00+01:00"})).await;
    assert_eq!(r.status(), 200);
    let receipt: serde_json::Value = r.json().await.expect("json");
    assert_eq!(
        receipt,
        json!({"kind": "case", "id": "DP-1", "agency": nav.org})
    );
    let r = app.post_json(&nav, "/api/v1/cases/DP-1/status", &json!({"pid": p, "status": "awaiting_citizen", "at": "2026-01-10T12:00:00Z", "note": "Send arbeidsavtale"})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(app.post_json(&nav, "/api/v1/deadlines", &json!({"pid": p, "deadline_id": "D-1", "title": "Send arbeidsavtale", "due": "2020-01-01", "case_id": "DP-1"})).await.status(), 200);
    assert_eq!(app.post_json(&nav, "/api/v1/deadlines", &json!({"pid": p, "deadline_id": "D-2", "title": "Møt til samtale", "due": "2099-05-01T10:00:00+02:00"})).await.status(), 200);
    assert_eq!(app.post_json(&nav, "/api/v1/benefits", &json!({"pid": p, "benefit_id": "BT", "name": "Barnetrygd", "amount": "1766.00", "currency": "NOK", "next_payment": "2099-01-20"})).await.status(), 200);
    assert_eq!(app.post_json(&nav, "/api/v1/messages", &json!({"pid": p, "message_id": "M-1", "subject": "Vi trenger mer informasjon", "body": "Hei Kari"})).await.status(), 200);

    let cookie = app.login(&kari).await;
    let o = app.overview(&cookie).await;
    let case = &o["cases"][0];
    assert_eq!(case["agency"], json!({"org": nav.org, "name": "NAV"}));
    assert_eq!(case["status"], "awaiting_citizen");
    assert_eq!(case["timeline"].as_array().map(|t| t.len()), Some(2));
    assert_eq!(o["deadlines"][0]["deadline_id"], "D-1");
    assert_eq!(
        o["deadlines"][0]["overdue"], true,
        "a 2020 deadline is overdue"
    );
    assert_eq!(o["deadlines"][1]["overdue"], false);
    assert_eq!(o["deadlines"][1]["due_at"], "2099-05-01T08:00:00Z");
    assert_eq!(o["benefits"][0]["amount"], "1766.00");
    assert_eq!(o["messages"][0]["read"], false);
    assert!(
        o["messages"][0].get("body").is_none(),
        "the overview lists, it does not open"
    );
    assert_eq!(o["unread_messages"], 1);

    // Reading (GET) changes nothing; marking read is a POST with a JSON body.
    let m: serde_json::Value = app
        .get_as(&cookie, &format!("/api/v1/me/messages/{}/M-1", nav.org))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(m["body"], "Hei Kari");
    assert_eq!(m["read"], false);
    assert_eq!(app.overview(&cookie).await["unread_messages"], 1);
    let read = format!("/api/v1/me/messages/{}/M-1/read", nav.org);
    let r = app
        .http
        .post(app.url(&read))
        .header(reqwest::header::COOKIE, &cookie)
        .form(&[("x", "y")])
        .send()
        .await
        .expect("post");
    crate::helpers::problem(r, 415).await;
    assert_eq!(app.overview(&cookie).await["unread_messages"], 1);
    let r = app
        .http
        .post(app.url(&read))
        .header(reqwest::header::COOKIE, &cookie)
        .json(&json!({}))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
    let m: serde_json::Value = r.json().await.expect("json");
    assert_eq!(
        (m["read"].clone(), m["body"].clone()),
        (json!(true), json!("Hei Kari"))
    );
    assert_eq!(app.overview(&cookie).await["unread_messages"], 0);
    let r = app
        .http
        .post(app.url(&format!("/api/v1/me/messages/{}/nope/read", nav.org)))
        .header(reqwest::header::COOKIE, &cookie)
        .json(&json!({}))
        .send()
        .await
        .expect("post");
    crate::helpers::problem(r, 404).await;
}

#[tokio::test]
async fn resending_the_same_ids_updates_never_duplicates() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let p = person(2);
    for title in ["Første", "Andre", "Tredje"] {
        let r = app
            .post_json(
                &nav,
                "/api/v1/cases",
                &json!({"pid": p.as_str(), "case_id": "C", "title": title, "status": "received"}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let r = app.post_json(&nav, "/api/v1/benefits", &json!({"pid": p.as_str(), "benefit_id": "B", "name": title, "amount": "10", "currency": "NOK"})).await;
        assert_eq!(r.status(), 200);
    }
    let cookie = app.login(&p).await;
    let o = app.overview(&cookie).await;
    assert_eq!(o["cases"].as_array().map(Vec::len), Some(1));
    assert_eq!(o["cases"][0]["title"], "Tredje");
    assert_eq!(o["benefits"].as_array().map(Vec::len), Some(1));
    assert_eq!(o["benefits"][0]["amount"], "10.00");
}

#[tokio::test]
async fn bad_input_gets_a_clear_problem_with_a_pointer_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let p = person(3);
    let cases = [
        (
            json!({"pid": "12345678901", "case_id": "X", "title": "t", "status": "received"}),
            "/pid",
        ),
        (
            json!({"pid": p.as_str(), "case_id": "X", "title": "t", "status": "finished"}),
            "/status",
        ),
        (
            json!({"pid": p.as_str(), "case_id": "", "title": "t", "status": "received"}),
            "/case_id",
        ),
        (
            json!({"pid": 42, "case_id": "X", "title": "t", "status": "received"}),
            "/pid",
        ),
        (
            json!({"pid": p.as_str(), "case_id": "X", "title": "t", "status": "received", "opened_at": "yesterday"}),
            "/opened_at",
        ),
    ];
    for (body, pointer) in cases {
        let v = problem(app.post_json(&nav, "/api/v1/cases", &body).await, 422).await;
        assert_eq!(v["pointer"], pointer, "{v}");
    }
    let v = problem(app.post_json(&nav, "/api/v1/benefits", &json!({"pid": p.as_str(), "benefit_id": "b", "name": "n", "amount": 17.5, "currency": "NOK"})).await, 422).await;
    assert_eq!(v["pointer"], "/amount", "floats are refused for money: {v}");
    let v = problem(
        app.post_json(
            &nav,
            "/api/v1/cases/NOPE/status",
            &json!({"pid": p.as_str(), "status": "closed", "at": "2026-01-01T00:00:00Z"}),
        )
        .await,
        404,
    )
    .await;
    assert_eq!(v["pointer"], "/case_id");

    // Malformed JSON and wrong content type.
    let r = app
        .http
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&nav.token)
        .header("content-type", "application/json")
        .body("{\"pid\": ")
        .send()
        .await
        .expect("req");
    let v = problem(r, 400).await;
    assert!(v["detail"].as_str().unwrap_or("").contains("line 1"), "{v}");
    let r = app
        .http
        .post(app.url("/api/v1/cases"))
        .bearer_auth(&nav.token)
        .body("pid=1")
        .send()
        .await
        .expect("req");
    problem(r, 415).await;

    let cookie = app.login(&p).await;
    let o = app.overview(&cookie).await;
    assert_eq!(o["cases"], json!([]), "nothing partially stored");
    assert_eq!(o["benefits"], json!([]));
}

#[tokio::test]
async fn an_agency_cannot_take_over_another_persons_item() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let (a, b) = (person(4), person(5));
    assert_eq!(
        app.post_json(
            &nav,
            "/api/v1/cases",
            &json!({"pid": a.as_str(), "case_id": "K", "title": "A's", "status": "received"})
        )
        .await
        .status(),
        200
    );
    let v = problem(
        app.post_json(
            &nav,
            "/api/v1/cases",
            &json!({"pid": b.as_str(), "case_id": "K", "title": "B's", "status": "closed"}),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(v["pointer"], "/pid");
    let o = app.overview(&app.login(&a).await).await;
    assert_eq!(o["cases"][0]["title"], "A's");
}

#[tokio::test]
async fn oversize_bodies_are_refused() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let big = "x".repeat(11 * 1024 * 1024);
    let r = app
        .http
        .post(app.url("/api/v1/bulk"))
        .bearer_auth(&nav.token)
        .header("content-type", "application/x-ndjson")
        .body(big)
        .send()
        .await
        .expect("req");
    problem(r, 413).await;
}
