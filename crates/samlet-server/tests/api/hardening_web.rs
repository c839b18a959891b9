//! Login, forms and configuration hardening: rate limits answer 429 with
//! `Retry-After`, a browser that joins a foresight session twice stays one
//! participant, and a power of attorney needs the representative's surname
//! without letting the form look names up.

use reqwest::header::{COOKIE, LOCATION, RETRY_AFTER};
use samlet_server::ratelimit::Rate;
use serde_json::{json, Value};

use crate::helpers::{cookie_pairs, csrf_in, person, problem, TestApp};

/// A 429 problem+json whose `Retry-After` is whole seconds, at least 1.
async fn rate_limited(res: reqwest::Response) -> Value {
    let wait: u64 = res
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!(wait >= 1, "{wait}");
    let p = problem(res, 429).await;
    assert!(p["type"].as_str().unwrap_or("").ends_with("/rate-limited"));
    assert!(
        p["detail"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("Wait {wait} seconds")),
        "{p}"
    );
    p
}

#[tokio::test]
async fn token_requests_are_rate_limited_per_address() {
    let app = TestApp::builder()
        .config(|c| c.rate_limits.token_per_address = Rate::per_minute(2))
        .spawn()
        .await;
    let ask = || {
        app.http
            .post(app.url("/oauth/token"))
            .form(&[("grant_type", "nonsense")])
            .send()
    };
    for _ in 0..2 {
        assert_eq!(ask().await.expect("token").status(), 400);
    }
    rate_limited(ask().await.expect("token")).await;
}

/// Behind an ingress every request comes from the ingress: the limit must
/// count the address the ingress saw, and a client's own X-Forwarded-For
/// entries must not buy it a fresh quota.
#[tokio::test]
async fn rate_limits_count_the_client_behind_a_trusted_proxy_not_its_own_header() {
    let ask = |app: &TestApp, forwarded: &str| {
        app.http
            .post(app.url("/oauth/token"))
            .header("x-forwarded-for", forwarded.to_owned())
            .form(&[("grant_type", "nonsense")])
            .send()
    };
    let behind = TestApp::builder()
        .config(|c| {
            c.rate_limits.token_per_address = Rate::per_minute(2);
            c.trusted_proxy_hops = 1;
        })
        .spawn()
        .await;
    for _ in 0..2 {
        let r = ask(&behind, "6.6.6.6, 203.0.113.7").await.expect("token");
        assert_eq!(r.status(), 400);
    }
    rate_limited(ask(&behind, "1.2.3.4, 203.0.113.7").await.expect("token")).await;
    // Another client behind the same ingress has a quota of its own.
    let r = ask(&behind, "203.0.113.8").await.expect("token");
    assert_eq!(r.status(), 400);

    // With no proxy trusted, a forged header changes nothing.
    let direct = TestApp::builder()
        .config(|c| c.rate_limits.token_per_address = Rate::per_minute(2))
        .spawn()
        .await;
    for n in 0..2 {
        let r = ask(&direct, &format!("198.51.100.{n}"))
            .await
            .expect("token");
        assert_eq!(r.status(), 400);
    }
    rate_limited(ask(&direct, "198.51.100.9").await.expect("token")).await;
}

#[tokio::test]
async fn oidc_login_is_rate_limited_per_address() {
    let app = TestApp::builder()
        .config(|c| c.rate_limits.oidc_per_address = Rate::per_minute(2))
        .spawn()
        .await;
    // No provider configured: 404, but every attempt counts.
    for path in ["/auth/login", "/auth/callback"] {
        let r = app.http.get(app.url(path)).send().await.expect("get");
        assert_eq!(r.status(), 404);
    }
    let r = app
        .http
        .get(app.url("/auth/login?next=/me"))
        .send()
        .await
        .expect("get");
    rate_limited(r).await;
}

/// A session's join code.
async fn foresight_session(app: &TestApp) -> String {
    app.foresight_session(json!({"title": "Helse og omsorg 2030", "trends": [{"code": "1.1"}]}))
        .await
        .join_code
}

#[tokio::test]
async fn foresight_join_is_rate_limited_per_address_and_per_code() {
    let app = TestApp::builder()
        .config(|c| {
            c.rate_limits.join_per_address = Rate::per_minute(3);
            c.rate_limits.join_per_code = Rate::per_minute(100);
        })
        .spawn()
        .await;
    let code = foresight_session(&app).await;
    let join = |code: String| {
        app.http
            .post(app.url("/api/v1/foresight/join"))
            .json(&json!({ "join_code": code }))
            .send()
    };
    for _ in 0..3 {
        assert_eq!(join(code.clone()).await.expect("join").status(), 200);
    }
    rate_limited(join(code.clone()).await.expect("join")).await;

    // Per code: many addresses (here: one, with a generous address quota)
    // cannot flood one session either.
    let app = TestApp::builder()
        .config(|c| {
            c.rate_limits.join_per_address = Rate::per_minute(100);
            c.rate_limits.join_per_code = Rate::per_minute(2);
        })
        .spawn()
        .await;
    let (a, b) = (foresight_session(&app).await, foresight_session(&app).await);
    let join = |code: String| {
        app.http
            .post(app.url("/api/v1/foresight/join"))
            .json(&json!({ "join_code": code }))
            .send()
    };
    for _ in 0..2 {
        assert_eq!(join(a.clone()).await.expect("join").status(), 200);
    }
    rate_limited(join(a.clone()).await.expect("join")).await;
    assert_eq!(
        join(b).await.expect("join").status(),
        200,
        "another session has its own quota"
    );
}

#[tokio::test]
async fn joining_twice_from_one_browser_keeps_one_participant() {
    let app = TestApp::spawn().await;
    let code = foresight_session(&app).await;
    let page = app
        .http
        .get(app.url(&format!("/f/{code}")))
        .send()
        .await
        .expect("join page");
    let form_cookie = cookie_pairs(&page).join("; ");
    let csrf = csrf_in(&page.text().await.expect("html"));
    let join = |cookies: String| {
        app.http
            .post(app.url(&format!("/f/{code}/join")))
            .header(COOKIE, cookies)
            .form(&[("csrf", csrf.as_str())])
            .send()
    };
    let r = join(form_cookie.clone()).await.expect("join");
    assert_eq!(r.status(), 303);
    let participant = cookie_pairs(&r)
        .into_iter()
        .find(|c| c.starts_with("samlet_fp="))
        .expect("participant cookie");
    let joined = |app: &TestApp| {
        let store = app.store.clone();
        let code = code.clone();
        async move {
            let s = store
                .foresight_session_by_code(&code)
                .await
                .expect("session")
                .expect("found");
            store.foresight_counts(&s.id).await.expect("counts").joined
        }
    };
    assert_eq!(joined(&app).await, 1);
    // The same browser (form cookie and participant cookie) joins again:
    // it is sent to its ballot as the participant it already is.
    for _ in 0..3 {
        let r = join(format!("{form_cookie}; {participant}"))
            .await
            .expect("join");
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()[LOCATION], format!("/f/{code}/ballot").as_str());
        assert!(
            !cookie_pairs(&r).iter().any(|c| c.starts_with("samlet_fp=")),
            "no new participant cookie"
        );
    }
    assert_eq!(joined(&app).await, 1, "still one participant");
}

#[tokio::test]
async fn a_mandate_needs_the_surname_and_a_mismatch_reads_as_an_unknown_person() {
    let app = TestApp::spawn().await;
    let (ola, kari, stranger) = (person(20), person(21), person(22));
    app.registered(&kari, "Kari Sørensen").await;
    let c = app.login(&ola).await;
    let give = |to: &samlet_domain::Pid, surname: &str| json!({"to_pid": to.as_str(), "to_surname": surname, "scopes": ["benefits"], "actions": ["read"]});
    let refusal = |mut p: Value| {
        p.as_object_mut().expect("object").remove("instance");
        p
    };
    let wrong = refusal(
        problem(
            app.post_as(&c, "/api/v1/me/mandates", &give(&kari, "Nordmann"))
                .await,
            422,
        )
        .await,
    );
    let unknown = refusal(
        problem(
            app.post_as(&c, "/api/v1/me/mandates", &give(&stranger, "Sørensen"))
                .await,
            422,
        )
        .await,
    );
    assert_eq!(
        wrong, unknown,
        "a wrong surname and an unknown person read the same"
    );
    assert!(wrong["type"]
        .as_str()
        .unwrap_or("")
        .ends_with("/unknown-person"));
    assert_eq!(wrong["pointer"], "/to_pid");
    let empty = refusal(
        problem(
            app.post_as(&c, "/api/v1/me/mandates", &give(&kari, ""))
                .await,
            422,
        )
        .await,
    );
    assert_eq!(empty, unknown);
    let r = app
        .post_as(
            &c,
            "/api/v1/me/mandates",
            &json!({"to_pid": kari.as_str(), "scopes": ["benefits"], "actions": ["read"]}),
        )
        .await;
    assert_eq!(r.status(), 422, "the surname is required");
    let r = app
        .post_as(&c, "/api/v1/me/mandates", &give(&kari, "  SORENSEN "))
        .await;
    assert_eq!(r.status(), 201, "case and accents do not matter");

    // The web form says the same in the page's language.
    let html = app
        .get_as(&c, "/me/mandates")
        .await
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&html);
    let r = app
        .http
        .post(app.url("/me/mandates"))
        .header(COOKIE, &c)
        .form(&[
            ("csrf", csrf.as_str()),
            ("to_pid", kari.as_str()),
            ("to_surname", "Nordmann"),
            ("scope", "tax"),
            ("action", "read"),
        ])
        .send()
        .await
        .expect("form");
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .expect("html")
        .contains("Vi finner ingen person med dette fødselsnummeret og etternavnet."));
}

#[tokio::test]
async fn person_checks_and_mandates_are_rate_limited_per_citizen() {
    let app = TestApp::builder()
        .config(|c| {
            c.rate_limits.person_lookups_per_citizen = Rate::per_hour(2);
            c.rate_limits.mandates_per_citizen = Rate::per_hour(100);
        })
        .spawn()
        .await;
    let (ola, kari) = (person(23), person(24));
    app.registered(&kari, "Kari Nordmann").await;
    let c = app.login(&ola).await;
    let body = |surname: &str| json!({"to_pid": kari.as_str(), "to_surname": surname, "scopes": ["tax"], "actions": ["read"]});
    for guess in ["Hansen", "Olsen"] {
        problem(
            app.post_as(&c, "/api/v1/me/mandates", &body(guess)).await,
            422,
        )
        .await;
    }
    // Out of checks: even the right name is not checked now.
    rate_limited(
        app.post_as(&c, "/api/v1/me/mandates", &body("Nordmann"))
            .await,
    )
    .await;
    // Another citizen has checks of their own.
    let other = app.login(&person(25)).await;
    assert_eq!(
        app.post_as(&other, "/api/v1/me/mandates", &body("Nordmann"))
            .await
            .status(),
        201
    );

    let app = TestApp::builder()
        .config(|c| c.rate_limits.mandates_per_citizen = Rate::per_hour(1))
        .spawn()
        .await;
    app.registered(&kari, "Kari Nordmann").await;
    let c = app.login(&ola).await;
    assert_eq!(
        app.post_as(&c, "/api/v1/me/mandates", &body("Nordmann"))
            .await
            .status(),
        201
    );
    rate_limited(
        app.post_as(&c, "/api/v1/me/mandates", &body("Nordmann"))
            .await,
    )
    .await;
    // On the page: the same refusal, in the page's language, with Retry-After.
    let html = app
        .get_as(&c, "/me/mandates")
        .await
        .text()
        .await
        .expect("html");
    let r = app
        .http
        .post(app.url("/me/mandates"))
        .header(COOKIE, &c)
        .form(&[
            ("csrf", csrf_in(&html).as_str()),
            ("to_pid", kari.as_str()),
            ("to_surname", "Nordmann"),
            ("scope", "tax"),
            ("action", "read"),
        ])
        .send()
        .await
        .expect("form");
    assert_eq!(r.status(), 429);
    assert!(r.headers().get(RETRY_AFTER).is_some());
    assert!(r
        .text()
        .await
        .expect("html")
        .contains("For mange forsøk på kort tid. Vent"));
}
