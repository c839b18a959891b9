//! Citizen login through an ID-porten-like OpenID Connect provider (a small
//! mock that checks PKCE and signs id_tokens with Ed25519). What it puts in
//! the id_token and UserInfo is set per test through [`Behaviour`], so the
//! tests can play a provider that errs or lies.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::SigningKey;
use reqwest::header::{COOKIE, LOCATION};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{cookie_pair, serve_router, TestApp};

/// An issued code's (nonce, code_challenge, redirect_uri).
type Pending = (String, String, String);

/// What the mock provider puts in its answers.
#[derive(Clone)]
struct Behaviour {
    /// The person id in the id_token (ID-porten) or only in UserInfo
    /// (oidc-provider's default).
    pid_in_id_token: bool,
    /// Claims laid over the id_token's (`null` removes one).
    id_token_extra: Value,
    /// The `sub` UserInfo answers with.
    userinfo_sub: String,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            pid_in_id_token: true,
            id_token_extra: json!({}),
            userinfo_sub: SUB.into(),
        }
    }
}

const SUB: &str = "abc";
const ACCESS_TOKEN: &str = "at-for-userinfo";

#[derive(Clone)]
struct Idp {
    issuer: String,
    key: Arc<SigningKey>,
    /// code -> (nonce, code_challenge, redirect_uri)
    codes: Arc<Mutex<HashMap<String, Pending>>>,
    pid: String,
    behaviour: Arc<Mutex<Behaviour>>,
}

impl Idp {
    fn set(&self, b: Behaviour) {
        *self.behaviour.lock().expect("lock") = b;
    }
}

async fn discovery(State(idp): State<Idp>) -> Json<Value> {
    Json(
        json!({"issuer": idp.issuer, "authorization_endpoint": format!("{}/authorize", idp.issuer),
        "token_endpoint": format!("{}/token", idp.issuer), "jwks_uri": format!("{}/jwks", idp.issuer),
        "userinfo_endpoint": format!("{}/userinfo", idp.issuer)}),
    )
}

async fn userinfo(
    State(idp): State<Idp>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok())
        != Some(&format!("Bearer {ACCESS_TOKEN}"))
    {
        return axum::http::StatusCode::UNAUTHORIZED.into_response();
    }
    let b = idp.behaviour.lock().expect("lock").clone();
    Json(json!({"sub": b.userinfo_sub, "pid": idp.pid, "name": "Kari Nordmann"})).into_response()
}

async fn jwks(State(idp): State<Idp>) -> Json<Value> {
    Json(
        json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "idp-1", "alg": "EdDSA", "use": "sig",
        "x": URL_SAFE_NO_PAD.encode(idp.key.verifying_key().as_bytes())}]}),
    )
}

async fn authorize(
    State(idp): State<Idp>,
    Query(q): Query<HashMap<String, String>>,
) -> impl IntoResponse {
    assert_eq!(
        q.get("code_challenge_method").map(String::as_str),
        Some("S256")
    );
    assert_eq!(q.get("response_type").map(String::as_str), Some("code"));
    let code = uuid::Uuid::new_v4().to_string();
    let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
    idp.codes.lock().expect("lock").insert(
        code.clone(),
        (
            q.get("nonce").cloned().unwrap_or_default(),
            q.get("code_challenge").cloned().unwrap_or_default(),
            redirect.clone(),
        ),
    );
    Redirect::to(&format!(
        "{redirect}?code={code}&state={}",
        q.get("state").cloned().unwrap_or_default()
    ))
}

async fn token(
    State(idp): State<Idp>,
    Form(f): Form<HashMap<String, String>>,
) -> axum::response::Response {
    let Some((nonce, challenge, redirect)) = f
        .get("code")
        .and_then(|c| idp.codes.lock().expect("lock").remove(c))
    else {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    let verifier = f.get("code_verifier").cloned().unwrap_or_default();
    if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge
        || f.get("redirect_uri") != Some(&redirect)
    {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant", "error_description": "PKCE"})),
        )
            .into_response();
    }
    let now = chrono::Utc::now().timestamp();
    let b = idp.behaviour.lock().expect("lock").clone();
    let mut claims = json!({"iss": idp.issuer, "aud": "samlet", "sub": SUB, "iat": now, "exp": now + 120, "nonce": nonce, "acr": "idporten-loa-high"});
    if b.pid_in_id_token {
        claims["pid"] = json!(idp.pid);
    }
    if let (Some(c), Some(extra)) = (claims.as_object_mut(), b.id_token_extra.as_object()) {
        for (k, v) in extra {
            if v.is_null() {
                c.remove(k);
            } else {
                c.insert(k.clone(), v.clone());
            }
        }
    }
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
    header.kid = Some("idp-1".into());
    let der = idp.key.to_pkcs8_der().expect("der");
    let id_token = jsonwebtoken::encode(
        &header,
        &claims,
        &jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
    )
    .expect("jwt");
    Json(json!({"access_token": ACCESS_TOKEN, "token_type": "Bearer", "id_token": id_token}))
        .into_response()
}

async fn start_idp(pid: &str) -> Idp {
    let key = Arc::new(SigningKey::generate(&mut rand::rngs::OsRng));
    let mut idp = None;
    serve_router(|issuer| {
        let state = Idp {
            issuer: issuer.to_owned(),
            key,
            codes: Default::default(),
            pid: pid.into(),
            behaviour: Default::default(),
        };
        idp = Some(state.clone());
        Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(state)
    })
    .await;
    idp.expect("the router was built")
}

#[tokio::test]
async fn kari_logs_in_with_id_porten_and_sees_her_overview() {
    let idp = start_idp("01010750160").await;
    let app = TestApp::builder().oidc(&idp.issuer).spawn().await;

    let r = app
        .http
        .get(app.url("/auth/login?next=/me"))
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 303);
    let flow = cookie_pair(&r, "samlet_oidc").expect("flow cookie");
    let to_idp = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    assert!(to_idp.starts_with(&format!("{}/authorize?", idp.issuer)));

    let r = app.http.get(&to_idp).send().await.expect("authorize");
    let back = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    assert!(back.starts_with(&format!("{}/auth/callback?", app.base)));

    // A forged state is refused.
    let forged = back.replace("state=", "state=x");
    let r = app
        .http
        .get(&forged)
        .header(COOKIE, &flow)
        .send()
        .await
        .expect("callback");
    assert_eq!(r.status(), 400);

    let r = app
        .http
        .get(&back)
        .header(COOKIE, &flow)
        .send()
        .await
        .expect("callback");
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    assert_eq!(r.headers()[LOCATION], "/me");
    let session = cookie_pair(&r, "samlet_session").expect("session");
    let o = app.overview(&session).await;
    assert_eq!(o["cases"], json!([]));

    // The code cannot be used twice.
    let r = app
        .http
        .get(&back)
        .header(COOKIE, &flow)
        .send()
        .await
        .expect("callback");
    assert_eq!(r.status(), 400);
    // And dev login is off on this server.
    let r = app
        .http
        .post(app.url("/auth/dev/login"))
        .form(&[("pid", "01010750160")])
        .send()
        .await
        .expect("dev");
    assert_eq!(r.status(), 404);
}

/// A server that logs in through `idp` (production settings).
async fn samlet_for(idp: &Idp) -> TestApp {
    TestApp::builder().oidc(&idp.issuer).spawn().await
}

/// Go through the login and return the callback's response.
async fn log_in(app: &TestApp) -> reqwest::Response {
    let r = app
        .http
        .get(app.url("/auth/login?next=/me"))
        .send()
        .await
        .expect("login");
    let flow = cookie_pair(&r, "samlet_oidc").expect("flow cookie");
    let to_idp = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    let r = app.http.get(&to_idp).send().await.expect("authorize");
    let back = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    app.http
        .get(&back)
        .header(COOKIE, &flow)
        .send()
        .await
        .expect("callback")
}

async fn refused_because(app: &TestApp, needle: &str) {
    let r = log_in(app).await;
    let body = r.text().await.expect("body");
    assert!(body.contains(needle), "expected {needle:?} in {body}");
    assert!(
        !body.contains("01010750160"),
        "no person id in errors: {body}"
    );
}

#[tokio::test]
async fn kari_logs_in_when_only_userinfo_carries_her_pid() {
    let idp = start_idp("01010750160").await;
    idp.set(Behaviour {
        pid_in_id_token: false,
        ..Default::default()
    });
    let app = samlet_for(&idp).await;
    let r = log_in(&app).await;
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    let session = cookie_pair(&r, "samlet_session").expect("session");
    let o = app.overview(&session).await;
    assert_eq!(o["cases"], json!([]));
}

#[tokio::test]
async fn userinfo_about_another_subject_is_refused() {
    let idp = start_idp("01010750160").await;
    idp.set(Behaviour {
        pid_in_id_token: false,
        userinfo_sub: "someone-else".into(),
        ..Default::default()
    });
    let app = samlet_for(&idp).await;
    refused_because(&app, "another subject").await;
}

#[tokio::test]
async fn id_token_without_iat_is_refused() {
    let idp = start_idp("01010750160").await;
    idp.set(Behaviour {
        id_token_extra: json!({"iat": null}),
        ..Default::default()
    });
    let app = samlet_for(&idp).await;
    refused_because(&app, "id_token was refused").await;
}

#[tokio::test]
async fn id_token_issued_long_ago_is_refused() {
    let idp = start_idp("01010750160").await;
    let long_ago = chrono::Utc::now().timestamp() - 3600;
    idp.set(Behaviour {
        id_token_extra: json!({"iat": long_ago}),
        ..Default::default()
    });
    let app = samlet_for(&idp).await;
    refused_because(&app, "issue time").await;
}

#[tokio::test]
async fn id_token_for_several_audiences_needs_azp_naming_samlet() {
    let idp = start_idp("01010750160").await;
    let app = samlet_for(&idp).await;
    for extra in [
        json!({"aud": ["samlet", "other-client"]}),
        json!({"aud": ["samlet", "other-client"], "azp": "other-client"}),
        json!({"azp": "other-client"}),
    ] {
        idp.set(Behaviour {
            id_token_extra: extra.clone(),
            ..Default::default()
        });
        let r = log_in(&app).await;
        assert_eq!(r.status(), 400, "{extra}");
        assert!(cookie_pair(&r, "samlet_session").is_none(), "{extra}");
    }
    idp.set(Behaviour {
        id_token_extra: json!({"aud": ["samlet", "other-client"], "azp": "samlet"}),
        ..Default::default()
    });
    let r = log_in(&app).await;
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
}

#[tokio::test]
async fn id_token_for_another_client_or_login_is_refused() {
    let idp = start_idp("01010750160").await;
    let app = samlet_for(&idp).await;
    idp.set(Behaviour {
        id_token_extra: json!({"aud": "other-client"}),
        ..Default::default()
    });
    refused_because(&app, "id_token was refused").await;
    idp.set(Behaviour {
        id_token_extra: json!({"nonce": "from-another-login"}),
        ..Default::default()
    });
    refused_because(&app, "nonce").await;
}

/// A test environment (ID-porten's test persons, Tenor) runs without dev
/// mode: synthetic persons come in through a real login and a real agency
/// token, and dev login and dev tokens stay off.
#[tokio::test]
async fn a_test_environment_accepts_synthetic_persons_without_dev_mode() {
    let synthetic = crate::helpers::person(12);
    assert!(
        samlet_domain::Pid::parse(synthetic.as_str(), samlet_domain::PidPolicy::PRODUCTION)
            .is_err()
    );
    let idp = start_idp(synthetic.as_str()).await;
    let app = TestApp::builder()
        .oidc(&idp.issuer)
        .config(|c| {
            // What `--allow-synthetic-pids` sets, and nothing more.
            c.pid_policy = samlet_domain::PidPolicy {
                allow_synthetic: true,
                allow_cpr: false,
            };
        })
        .spawn()
        .await;

    // An agency with a real (non-dev) access token pushes for the test person.
    let nav = app.agency("88964078", "NAV").await;
    let token = app.access_token(nav.id, "samlet:write").await;
    let r = app
        .http
        .post(app.url("/api/v1/messages"))
        .bearer_auth(&token)
        .json(&json!({"pid": synthetic.as_str(), "message_id": "T-1", "subject": "Test", "body": "Hei"}))
        .send()
        .await
        .expect("push");
    assert_eq!(r.status(), 200, "{:?}", r.text().await);

    // The test person logs in through the provider and sees it.
    let r = app
        .http
        .get(app.url("/auth/login"))
        .send()
        .await
        .expect("login");
    let flow = cookie_pair(&r, "samlet_oidc").expect("flow cookie");
    let to_idp = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    let r = app.http.get(&to_idp).send().await.expect("authorize");
    let back = r.headers()[LOCATION].to_str().expect("loc").to_owned();
    let r = app
        .http
        .get(&back)
        .header(COOKIE, &flow)
        .send()
        .await
        .expect("callback");
    assert_eq!(r.status(), 303, "{:?}", r.text().await);
    let session = cookie_pair(&r, "samlet_session").expect("session");
    assert_eq!(app.overview(&session).await["unread_messages"], 1);

    // Nothing else of dev mode: no dev login, no dev tokens.
    let r = app
        .http
        .post(app.url("/auth/dev/login"))
        .form(&[("pid", synthetic.as_str())])
        .send()
        .await
        .expect("dev login");
    assert_eq!(r.status(), 404);
    let dev = app.dev_token(nav.id, "samlet:write").await;
    let r = app
        .http
        .post(app.url("/api/v1/messages"))
        .bearer_auth(&dev)
        .json(&json!({"pid": synthetic.as_str(), "message_id": "T-2", "subject": "Test", "body": "Hei"}))
        .send()
        .await
        .expect("push");
    assert_eq!(r.status(), 401);
}
