//! NAV's system asks for a token with JWT assertions whose times a careless
//! or hostile agency chose: overflowing numbers, an `iat` long past, `exp`
//! before `iat`. Each is refused, and an accepted assertion cannot be used
//! again for as long as it could pass.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{TimeZone, Utc};
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::SigningKey;
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::TestApp;

const GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const CLIENT_ID: &str = "nav-samlet";

struct Nav {
    app: TestApp,
    key: SigningKey,
}

async fn nav() -> Nav {
    let app = TestApp::spawn_with(|c| c.dev = false).await;
    let nav = app.agency("88964078", "NAV").await;
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let jwks = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA",
        "use": "sig", "x": URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes())}]});
    let org = samlet_domain::OrgNumber::parse(&nav.org).expect("org");
    assert!(app
        .store
        .set_agency_keys(&org, CLIENT_ID, &jwks.to_string())
        .await
        .expect("keys"));
    Nav { app, key }
}

impl Nav {
    /// An assertion with these times (`Value`s, so they can be any JSON number).
    fn assertion(&self, iat: Value, exp: Value) -> String {
        let claims = json!({"iss": CLIENT_ID, "aud": self.app.base, "iat": iat, "exp": exp,
            "jti": uuid::Uuid::new_v4().to_string(), "scope": "samlet:write"});
        let der = self.key.to_pkcs8_der().expect("der");
        let mut header = Header::new(jsonwebtoken::Algorithm::EdDSA);
        header.kid = Some("k1".into());
        encode(&header, &claims, &EncodingKey::from_ed_der(der.as_bytes())).expect("jwt")
    }

    async fn grant(&self, jwt: &str) -> (u16, Value) {
        let r = self
            .app
            .http
            .post(self.app.url("/oauth/token"))
            .form(&[("grant_type", GRANT), ("assertion", jwt)])
            .send()
            .await
            .expect("req");
        (r.status().as_u16(), r.json().await.expect("json"))
    }
}

#[tokio::test]
async fn assertion_with_overflowing_times_is_refused() {
    let nav = nav().await;
    let now = Utc::now().timestamp();
    for (iat, exp) in [
        (json!(now), json!(i64::MAX)),
        (json!(-1), json!(i64::MAX)),
        (json!(i64::MIN), json!(now + 60)),
        (json!(i64::MAX), json!(i64::MAX)),
        (json!(now), json!(u64::MAX)),
        (json!(now), json!(-5)),
    ] {
        let (status, v) = nav.grant(&nav.assertion(iat.clone(), exp.clone())).await;
        assert_eq!(status, 400, "iat {iat} exp {exp}: {v}");
        assert_eq!(v["error"], "invalid_grant", "iat {iat} exp {exp}");
    }
}

#[tokio::test]
async fn assertion_issued_long_ago_is_refused() {
    let nav = nav().await;
    let now = Utc::now().timestamp();
    // A short life, but issued an hour ago and pushed forward: not fresh.
    let (status, v) = nav
        .grant(&nav.assertion(json!(now - 3600), json!(now + 60)))
        .await;
    assert_eq!(
        (status, v["error"].as_str()),
        (400, Some("invalid_grant")),
        "{v}"
    );
    // Within the two minutes it may live: accepted.
    let (status, v) = nav
        .grant(&nav.assertion(json!(now - 100), json!(now + 20)))
        .await;
    assert_eq!(status, 200, "{v}");
}

#[tokio::test]
async fn assertion_expiring_before_it_was_issued_is_refused() {
    let nav = nav().await;
    let now = Utc::now().timestamp();
    let (status, v) = nav.grant(&nav.assertion(json!(now), json!(now - 1))).await;
    assert_eq!(
        (status, v["error"].as_str()),
        (400, Some("invalid_grant")),
        "{v}"
    );
    assert!(
        v["error_description"]
            .as_str()
            .unwrap_or("")
            .contains("exp"),
        "{v}"
    );
}

#[tokio::test]
async fn replay_just_before_expiry_is_refused() {
    let nav = nav().await;
    let now = Utc::now().timestamp();
    // Expired a moment ago, but inside the clock leeway: still accepted once.
    let exp = now - 5;
    let jwt = nav.assertion(json!(now - 60), json!(exp));
    let (status, v) = nav.grant(&jwt).await;
    assert_eq!(status, 200, "{v}");
    // The purge runs as if the clock stood at the last instant the
    // assertion still passes (exp + 10 s of leeway, to the end of that
    // second): the replay record must survive it.
    let last = Utc
        .timestamp_opt(exp + 10, 999_000_000)
        .single()
        .expect("time");
    nav.app.store.purge_expired(last).await.expect("purge");
    let (status, v) = nav.grant(&jwt).await;
    assert_eq!(status, 400, "{v}");
    assert!(
        v["error_description"]
            .as_str()
            .unwrap_or("")
            .contains("already used"),
        "{v}"
    );
}
