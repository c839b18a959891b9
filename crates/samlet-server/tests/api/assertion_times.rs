//! NAV's system asks for a token with JWT assertions whose times a careless
//! or hostile agency chose: overflowing numbers, an `iat` long past, `exp`
//! before `iat`. Each is refused, and an accepted assertion cannot be used
//! again for as long as it could pass.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};

use crate::helpers::{Signer, TestApp};

struct Nav {
    app: TestApp,
    key: Signer,
}

async fn nav() -> Nav {
    let app = TestApp::builder().config(|c| c.dev = false).spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let key = Signer::new("nav-samlet");
    app.register_key(&nav, &key).await;
    Nav { app, key }
}

impl Nav {
    /// An assertion with these times (`Value`s, so they can be any JSON number).
    fn assertion(&self, iat: Value, exp: Value) -> String {
        let mut claims = self.key.claims(&self.app.base);
        claims["iat"] = iat;
        claims["exp"] = exp;
        self.key.assertion(claims)
    }

    async fn grant(&self, jwt: &str) -> (u16, Value) {
        let r = self.app.token_request(jwt).await;
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
