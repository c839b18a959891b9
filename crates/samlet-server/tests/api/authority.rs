//! Authority is granted, never self-declared: a hostile agency that asks for
//! every scope, or holds a token whose stored scope names every scope, gets
//! only what the operator granted it; every grant and revocation is a public
//! record in the transparency log.

use proptest::prelude::*;
use samlet_app::transparency::governance::{GovernanceAction, GovernanceRecord};
use samlet_domain::{OrgNumber, Scope, ScopeSet};
use serde_json::{json, Value};

use crate::helpers::{person, problem, Agency, Signer, TestApp};

/// A token whose stored scope claims every scope, as a forged or stale row would.
async fn all_claiming_token(app: &TestApp, agency: &Agency) -> String {
    let all: ScopeSet = Scope::ALL.into_iter().collect();
    app.dev_token(agency.id, &all.to_string()).await
}

#[tokio::test]
async fn a_hostile_agency_cannot_make_a_stranger_its_guardian_or_rename_people() {
    let app = TestApp::spawn().await;
    let hostile = app.agency("88964078", "Hostile etat").await;
    let token = all_claiming_token(&app, &hostile).await;
    let (adult, stranger) = (person(40), person(41));
    let guardianship = json!({"guardian_pid": adult.as_str(), "ward_pid": stranger.as_str()});
    let post = |path: &'static str, body: Value| {
        let req = app.http.post(app.url(path)).bearer_auth(&token).json(&body);
        async move { req.send().await.expect("request") }
    };
    let p = problem(
        post("/api/v1/guardianships", guardianship.clone()).await,
        403,
    )
    .await;
    let detail = p["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("has not been granted") && detail.contains("samlet:guardianship"),
        "{detail}"
    );
    let names = json!([{"pid": stranger.as_str(), "name": "Someone Else"}]);
    problem(post("/api/v1/population/names", names).await, 403).await;

    // Granted by the operator, the same token now works …
    app.grant(&hostile, "samlet:guardianship").await;
    let r = post("/api/v1/guardianships", guardianship.clone()).await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);

    // … and a revocation takes effect on tokens already issued.
    let org = OrgNumber::parse(&hostile.org).expect("org");
    samlet_app::authority::revoke(
        app.store.as_ref(),
        &org,
        [Scope::Guardianship].into_iter().collect(),
        "test operator",
    )
    .await
    .expect("revoke");
    problem(post("/api/v1/guardianships", guardianship).await, 403).await;
}

#[tokio::test]
async fn grants_and_revocations_are_public_records_an_auditor_reads() {
    let app = TestApp::spawn().await;
    let sf = app.agency("97477278", "Statsforvalteren").await;
    app.grant(&sf, "samlet:guardianship").await;
    // Granting what it already holds changes nothing and records nothing.
    app.grant(&sf, "samlet:guardianship").await;
    let org = OrgNumber::parse(&sf.org).expect("org");
    let change = samlet_app::authority::revoke(
        app.store.as_ref(),
        &org,
        [Scope::Guardianship, Scope::Population]
            .into_iter()
            .collect(),
        "Kari Operatør",
    )
    .await
    .expect("revoke");
    assert_eq!(change.changed, [Scope::Guardianship].into_iter().collect());
    assert_eq!(change.holds, ScopeSet::NEW_AGENCY);

    let leaves: Value = app
        .http
        .get(app.url("/log/leaves?start=0"))
        .send()
        .await
        .expect("leaves")
        .json()
        .await
        .expect("json");
    let records: Vec<GovernanceRecord> = leaves["leaves"]
        .as_array()
        .expect("leaves")
        .iter()
        .filter(|l| l["details"] == "governance")
        .filter_map(|l| {
            let hex = l["data"].as_str()?;
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .filter_map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                .collect();
            GovernanceRecord::parse(&bytes)
        })
        .collect();
    assert_eq!(records.len(), 2, "one grant, one revocation: {records:?}");
    assert!(matches!(&records[0].action,
        GovernanceAction::ScopesGranted { org, scopes, .. }
            if org == &sf.org && *scopes == [Scope::Guardianship].into_iter().collect()));
    assert!(matches!(&records[1].action,
        GovernanceAction::ScopesRevoked { scopes, holds, .. }
            if *scopes == [Scope::Guardianship].into_iter().collect() && *holds == ScopeSet::NEW_AGENCY));
    assert_eq!(records[1].by, "Kari Operatør");

    // The auditor verifies the log with the records in it, and lists them.
    let client = reqwest::Client::new();
    let report = samlet_log_api::audit::audit(
        &client,
        &app.base,
        None,
        None,
        samlet_log_api::audit::AuditOptions {
            full: true,
            sample: 4,
        },
    )
    .await
    .expect("audit");
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(report.governance.len(), 2);
    let missing: Value = app
        .http
        .get(app.url("/log/details-count?start=0&end=2"))
        .send()
        .await
        .expect("count")
        .json()
        .await
        .expect("json");
    assert_eq!(
        missing["present"], 0,
        "governance leaves are no access entries"
    );
}

fn scope_set() -> impl Strategy<Value = ScopeSet> {
    proptest::collection::vec(proptest::sample::select(Scope::ALL.to_vec()), 0..7)
        .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever an agency asks for and whatever it was granted, a token
    /// carries exactly the requested scopes it was granted, or none is issued.
    #[test]
    fn no_token_ever_carries_a_scope_that_was_not_granted(
        cases in proptest::collection::vec((scope_set(), scope_set()), 1..6)
    ) {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async {
            let app = TestApp::builder()
        .config(|c| c.dev = false)
        .spawn()
        .await;
            let nav = app.agency("88964078", "NAV").await;
            let org = OrgNumber::parse(&nav.org).expect("org");
            let client = Signer::new("nav-samlet");
            app.register_key(&nav, &client).await;
            for (granted, requested) in cases {
                app.store.set_agency_scopes(&org, granted).await.expect("scopes");
                let mut claims = client.claims(&app.base);
                claims["scope"] = json!(requested.to_string());
                let r = app.token_request(&client.assertion(claims)).await;
                let status = r.status().as_u16();
                let body: Value = r.json().await.expect("json");
                let expected = requested.intersection(granted);
                if expected.is_empty() {
                    assert_eq!(status, 400, "{body}");
                    assert_eq!(body["error"], "invalid_scope");
                    continue;
                }
                assert_eq!(status, 200, "{body}");
                let got = ScopeSet::parse_list(body["scope"].as_str().unwrap_or("")).expect("scope");
                assert_eq!(got, expected);
                // And the token works for exactly those scopes.
                let me = app.http.get(app.url("/api/v1/agency"))
                    .bearer_auth(body["access_token"].as_str().unwrap_or("")).send().await.expect("whoami");
                assert_eq!(me.status(), 200);
                let write = app.http.post(app.url("/api/v1/cases"))
                    .bearer_auth(body["access_token"].as_str().unwrap_or(""))
                    .json(&json!({"pid": "01010750160", "case_id": "P", "title": "t", "status": "received"}))
                    .send().await.expect("push");
                assert_eq!(write.status() == 200, got.contains(Scope::Write));
            }
        });
    }
}
