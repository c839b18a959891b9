//! Rules as code over HTTP: anyone can ask what the published child benefit rule gives a household.

use serde_json::{json, Value};

use super::helpers::TestApp;

fn household() -> Value {
    json!({"members": [
        {"id": "Kari", "role": "parent", "birth_date": "1984-04-12", "annual_income": 500000},
        {"id": "Emil", "role": "child", "birth_date": "2012-03-15", "annual_income": 0}
    ]})
}

#[tokio::test]
async fn anyone_can_have_the_child_benefit_explained_without_logging_in() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    let res = c
        .post(format!("{}/api/v1/rules/child-benefit/explain", app.base))
        .json(&json!({"period": "2024-09", "lang": "en", "household": household()}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap_or_default();
    assert_eq!(v["ruleset"], "child-benefit");
    assert_eq!(v["period"], "2024-09");
    let text = v["explanation"].as_str().unwrap_or_default();
    assert!(text.contains("Child benefit"), "{text}");
    assert!(text.contains("barnetrygdloven"), "{text}");
    assert!(!v["trace"].is_null());
    // One child at the September 2024 rate (invented rates, see the rule set).
    assert_eq!(
        v["outputs"]["child_benefit"].to_string().trim_matches('"'),
        "1766"
    );
}

#[tokio::test]
async fn mistakes_are_problems_with_a_pointer() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    let post = |path: &str, body: Value| c.post(format!("{}{path}", app.base)).json(&body).send();
    let r = post(
        "/api/v1/rules/child-benefit/explain",
        json!({"period": "September", "household": household()}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 422);
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let p: Value = r.json().await.unwrap_or_default();
    assert_eq!(p["pointer"], "/period");

    let r = post(
        "/api/v1/rules/child-benefit/explain",
        json!({"period": "2024-09", "household": {"members": [{"id": "a", "shoe_size": 42}]}}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap_or_default();
    assert_eq!(p["pointer"], "/household");
    assert!(
        p["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("shoe_size"),
        "{p}"
    );

    let r = post(
        "/api/v1/rules/housing-allowance/explain",
        json!({"period": "2024-09", "household": household()}),
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn rule_sets_and_their_inputs_are_listed() {
    let app = TestApp::spawn().await;
    let v: Value = reqwest::get(format!("{}/api/v1/rules", app.base))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(v[0]["id"], "child-benefit");
    let r = reqwest::get(format!("{}/api/v1/rules/child-benefit/inputs", app.base))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    assert!(r
        .text()
        .await
        .unwrap_or_default()
        .contains("Folkeregisteret"));
    let doc = reqwest::get(format!("{}/api/openapi.json", app.base))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(doc.contains("/api/v1/rules/{ruleset}/explain"));
}

#[tokio::test]
async fn the_try_it_page_works_without_javascript_in_both_languages() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    let page = c
        .get(format!("{}/rules/child-benefit", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(page.contains("<form method=\"get\""), "{page}");
    assert!(page.contains("Prøv regelen"));
    let h = household().to_string();
    let res = c
        .get(format!("{}/rules/child-benefit", app.base))
        .query(&[("period", "2024-09"), ("household", h.as_str())])
        .header("accept-language", "en")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap_or_default();
    assert!(page.contains("data-testid=\"rules-result\""), "{page}");
    assert!(page.contains("Child benefit"), "{page}");
    let res = c
        .get(format!("{}/rules/child-benefit", app.base))
        .query(&[("period", "2024-09"), ("household", "{oops")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(res.status(), 422);
    assert!(res
        .text()
        .await
        .unwrap_or_default()
        .contains("role=\"alert\""));
}

#[tokio::test]
async fn explanations_come_in_nynorsk_and_danish_too() {
    let app = TestApp::spawn().await;
    let c = reqwest::Client::new();
    let explain = |lang: &'static str| {
        c.post(format!("{}/api/v1/rules/child-benefit/explain", app.base))
            .json(&json!({"period": "2024-09", "lang": lang, "household": household()}))
            .send()
    };
    for (lang, want) in [
        ("nn", "Barn under 18 år i hushaldet: 1."),
        ("nn-NO", "gjeld frå 1. september 2024"),
        ("da", "Børn under 18 år i husstanden: 1."),
        ("da-DK", "Børnetilskud pr. måned"),
        ("no", "Barnetrygd per måned"),
        ("nb-NO", "gjelder fra 1. september 2024"),
        ("en-GB", "Child benefit per month"),
    ] {
        let r = explain(lang).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200, "{lang}");
        let v: Value = r.json().await.unwrap_or_default();
        let text = v["explanation"].as_str().unwrap_or_default();
        assert!(text.contains(want), "{lang}: {text}");
    }
    // Without `lang`, the caller's Accept-Language decides.
    let r: Value = c
        .post(format!("{}/api/v1/rules/child-benefit/explain", app.base))
        .header("accept-language", "nn-NO,en;q=0.5")
        .json(&json!({"period": "2024-09", "household": household()}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    let text = r["explanation"].as_str().unwrap_or_default();
    assert!(text.contains("Barn under 18 år i hushaldet: 1."), "{text}");
    let r = explain("se").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 422);
    let p: Value = r.json().await.unwrap_or_default();
    assert_eq!(p["pointer"], "/lang");
    // The try-it page explains in the page's language.
    let h = household().to_string();
    for (lang, want) in [
        ("nn", "Barn under 18 år i hushaldet: 1"),
        ("da", "Børnetilskud"),
    ] {
        let page = c
            .get(format!("{}/rules/child-benefit", app.base))
            .query(&[("period", "2024-09"), ("household", h.as_str())])
            .header("cookie", format!("samlet_lang={lang}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default();
        assert!(page.contains(want), "{lang}: {page}");
    }
}
