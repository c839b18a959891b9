//! Agencies authenticate Maskinporten-style: a signed JWT assertion
//! (RFC 7523) exchanged for a short-lived bearer token.

use chrono::Utc;
use serde_json::{json, Value};

use crate::helpers::{person, problem, Signer, TestApp};

#[tokio::test]
async fn an_agency_gets_a_token_with_a_signed_assertion_and_pushes_with_it() {
    let app = TestApp::builder().config(|c| c.dev = false).spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let client = Signer::new("nav-samlet");
    app.register_key(&nav, &client).await;

    let claims = client.claims(&app.base);
    let jwt = client.assertion(claims);
    let r = app.token_request(&jwt).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let t: Value = r.json().await.expect("json");
    assert_eq!(t["token_type"], "Bearer");
    assert_eq!(t["scope"], "samlet:write");
    let token = t["access_token"].as_str().expect("token");

    // The production server refuses synthetic ids, so use a real-format one.
    let r = app
        .http
        .post(app.url("/api/v1/cases"))
        .bearer_auth(token)
        .json(&json!({"pid": "01010750160", "case_id": "C", "title": "t", "status": "received"}))
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200, "{:?}", r.text().await);

    // The same assertion again is a replay.
    let v: Value = app.token_request(&jwt).await.json().await.expect("json");
    assert_eq!(v["error"], "invalid_grant");
    assert!(v["error_description"]
        .as_str()
        .unwrap_or("")
        .contains("already used"));

    // Dev tokens do not work on a production server.
    let v = problem(app.post_json(&nav, "/api/v1/cases", &json!({})).await, 401).await;
    assert!(v["detail"].as_str().unwrap_or("").contains("--dev"));
}

#[tokio::test]
async fn bad_assertions_are_refused_with_reasons() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let client = Signer::new("nav");
    app.register_key(&nav, &client).await;
    let now = Utc::now().timestamp();
    let mut wrong_aud = client.claims("https://elsewhere.example");
    wrong_aud["aud"] = json!("https://elsewhere.example");
    let mut expired = client.claims(&app.base);
    expired["iat"] = json!(now - 600);
    expired["exp"] = json!(now - 500);
    let mut too_long = client.claims(&app.base);
    too_long["exp"] = json!(now + 3600);
    let mut bad_scope = client.claims(&app.base);
    bad_scope["scope"] = json!("samlet:everything");
    for (claims, error) in [
        (wrong_aud, "invalid_grant"),
        (expired, "invalid_grant"),
        (too_long, "invalid_grant"),
        (bad_scope, "invalid_scope"),
    ] {
        let v: Value = app
            .token_request(&client.assertion(claims))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(v["error"], error, "{v}");
    }
    // Signed by someone else's key.
    let impostor = Signer::new("nav");
    let v: Value = app
        .token_request(&impostor.assertion(impostor.claims(&app.base)))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(v["error"], "invalid_grant");
    // Unknown client.
    let stranger = Signer::new("stranger");
    let r = app
        .token_request(&stranger.assertion(stranger.claims(&app.base)))
        .await;
    assert_eq!(r.status(), 401);
    // Wrong grant type.
    let r = app
        .http
        .post(app.url("/oauth/token"))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .expect("req");
    assert_eq!(
        r.json::<Value>().await.expect("json")["error"],
        "unsupported_grant_type"
    );
}

#[tokio::test]
async fn a_read_only_token_cannot_write() {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let token = app.access_token(nav.id, "samlet:read").await;
    let r = app.http.post(app.url("/api/v1/cases")).bearer_auth(&token)
        .json(&json!({"pid": person(22).as_str(), "case_id": "C", "title": "t", "status": "received"})).send().await.expect("req");
    let v = problem(r, 403).await;
    assert!(v["detail"].as_str().unwrap_or("").contains("samlet:write"));
    let r = app
        .http
        .get(app.url("/api/v1/agency"))
        .bearer_auth(&nav.token)
        .send()
        .await
        .expect("req");
    assert_eq!(r.json::<Value>().await.expect("json")["name"], "NAV");
}

#[tokio::test]
async fn login_is_rate_limited() {
    let app = TestApp::builder()
        .config(|c| c.login_per_minute = 3)
        .spawn()
        .await;
    let p = person(23);
    for _ in 0..3 {
        app.login(&p).await;
    }
    let r = app
        .http
        .post(app.url("/auth/dev/login"))
        .form(&[("pid", p.as_str())])
        .send()
        .await
        .expect("req");
    problem(r, 429).await;
}
