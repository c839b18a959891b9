//! Agencies authenticate Maskinporten-style: a signed JWT assertion
//! (RFC 7523) exchanged for a short-lived bearer token.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::SigningKey;
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::{person, problem, TestApp};

const GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

pub(crate) struct Client {
    key: SigningKey,
    pub(crate) client_id: String,
}

impl Client {
    pub(crate) fn new(client_id: &str) -> Self {
        Self {
            key: SigningKey::generate(&mut rand::rngs::OsRng),
            client_id: client_id.into(),
        }
    }

    pub(crate) fn jwks(&self) -> String {
        json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA", "use": "sig",
            "x": URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes())}]})
        .to_string()
    }

    pub(crate) fn assertion(&self, claims: Value) -> String {
        let der = self.key.to_pkcs8_der().expect("der");
        let mut header = Header::new(jsonwebtoken::Algorithm::EdDSA);
        header.kid = Some("k1".into());
        encode(&header, &claims, &EncodingKey::from_ed_der(der.as_bytes())).expect("jwt")
    }

    pub(crate) fn claims(&self, aud: &str) -> Value {
        let now = Utc::now().timestamp();
        json!({"iss": self.client_id, "aud": aud, "iat": now, "exp": now + 60,
            "jti": uuid::Uuid::new_v4().to_string(), "scope": "samlet:write"})
    }
}

pub(crate) async fn grant(app: &TestApp, jwt: &str) -> reqwest::Response {
    app.http
        .post(app.url("/oauth/token"))
        .form(&[("grant_type", GRANT), ("assertion", jwt)])
        .send()
        .await
        .expect("req")
}

#[tokio::test]
async fn an_agency_gets_a_token_with_a_signed_assertion_and_pushes_with_it() {
    let app = TestApp::spawn_with(|c| c.dev = false).await;
    let nav = app.agency("88964078", "NAV").await;
    let client = Client::new("nav-samlet");
    let org = samlet_domain::OrgNumber::parse(&nav.org).expect("org");
    assert!(app
        .store
        .set_agency_keys(&org, &client.client_id, &client.jwks())
        .await
        .expect("keys"));

    let claims = client.claims(&app.base);
    let jwt = client.assertion(claims);
    let r = grant(&app, &jwt).await;
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
    let v: Value = grant(&app, &jwt).await.json().await.expect("json");
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
    let client = Client::new("nav");
    let org = samlet_domain::OrgNumber::parse(&nav.org).expect("org");
    app.store
        .set_agency_keys(&org, "nav", &client.jwks())
        .await
        .expect("keys");
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
        let v: Value = grant(&app, &client.assertion(claims))
            .await
            .json()
            .await
            .expect("json");
        assert_eq!(v["error"], error, "{v}");
    }
    // Signed by someone else's key.
    let impostor = Client::new("nav");
    let v: Value = grant(&app, &impostor.assertion(impostor.claims(&app.base)))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(v["error"], "invalid_grant");
    // Unknown client.
    let stranger = Client::new("stranger");
    let r = grant(&app, &stranger.assertion(stranger.claims(&app.base))).await;
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
    let token = samlet_server::auth::random_token("t_");
    app.store
        .insert_agency_token(
            &samlet_server::auth::token_hash(&token),
            nav.id,
            "access",
            "samlet:read",
            Some(Utc::now() + chrono::Duration::minutes(5)),
        )
        .await
        .expect("token");
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
    let app = TestApp::spawn_with(|c| c.login_per_minute = 3).await;
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
