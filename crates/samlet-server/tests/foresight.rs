//! Foresight end to end through the real server on port 0: Siri from the
//! strategy team at Spekter creates a session, participants join from their
//! phones and vote, the presenter screen shows the counts, and after closing
//! the team reads results, CSV and the report.

use std::net::SocketAddr;
use std::sync::Arc;

use reqwest::StatusCode;
use samlet_server::foresight::{self as fs, SessionFile};
use samlet_server::{AppState, Config};
use serde_json::{json, Value};

struct App {
    base: String,
    store: Arc<dyn samlet_store::Store>,
    client: reqwest::Client,
}

async fn start(url: String) -> App {
    let store = samlet_store::connect(&url).await.expect("open store");
    let listen: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let state = AppState::new(store.clone(), Config::dev(listen, url))
        .await
        .expect("state");
    let (addr, _server) = samlet_server::spawn(state).await.expect("bound");
    App {
        base: format!("http://{addr}"),
        store,
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
    }
}

async fn sqlite_app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    (start(url).await, dir)
}

async fn create(app: &App, body: Value) -> fs::Created {
    let file = SessionFile::parse(&body.to_string()).expect("session file");
    fs::create_session(app.store.as_ref(), file)
        .await
        .expect("create")
}

fn study_session() -> Value {
    json!({
        "title": "Helse og omsorg 2030",
        "trends": [
            {"code": "1.1"},
            {"code": "3.4"},
            {"code": "X.1", "title": "Egen trend", "theme": "Eget tema"}
        ]
    })
}

async fn join(app: &App, code: &str) -> String {
    let r = app
        .client
        .post(format!("{}/api/v1/foresight/join", app.base))
        .json(&json!({ "join_code": code.to_lowercase() }))
        .send()
        .await
        .expect("join");
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["trends"].as_array().map(Vec::len), Some(3));
    v["participant_token"].as_str().expect("token").to_owned()
}

async fn vote(app: &App, token: &str, body: Value) -> reqwest::Response {
    app.client
        .post(format!("{}/api/v1/foresight/ballots", app.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("ballot")
}

async fn a_gathering_from_join_to_report(app: &App) {
    let s = create(app, study_session()).await;
    assert_eq!(s.join_code.len(), 6);

    // Seven participants: five clinicians, two advisers.
    let mut tokens = Vec::new();
    for i in 0..7 {
        let t = join(app, &s.join_code).await;
        let role = if i < 5 { "clinician" } else { "adviser" };
        let r = vote(
            app,
            &t,
            json!({
                "participant": {"role": role, "experience_years": 5 + i},
                "ratings": [
                    {"trend": "1.1", "importance": 6, "preparedness": 2},
                    {"trend": "3.4", "importance": 4, "preparedness": 4},
                    {"trend": "X.1", "importance": 5, "preparedness": 3}
                ]
            }),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
        tokens.push(t);
    }
    // The first participant changes their mind: the ballot is replaced, not added.
    let r = vote(
        app,
        &tokens[0],
        json!({"ratings": [{"trend": "1.1", "importance": 5, "preparedness": 1}]}),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);

    // Clear 4xx for bad ballots, with pointers.
    for (body, status, pointer) in [
        (
            json!({"ratings": [{"trend": "1.1", "importance": 7, "preparedness": 2}]}),
            422,
            "/ratings/0/importance",
        ),
        (
            json!({"ratings": [{"trend": "9.9", "importance": 3, "preparedness": 2}]}),
            422,
            "/ratings/0/trend",
        ),
        (
            json!({"ratings": [{"trend": "1.1", "importance": 3, "preparedness": 2}, {"trend": "1.1", "importance": 3, "preparedness": 2}]}),
            422,
            "/ratings/1/trend",
        ),
        (
            json!({"participant": {"role": "Kari Nordmann"}, "ratings": []}),
            422,
            "/participant/role",
        ),
        (
            json!({"ratings": [{"trend": "1.1", "importance": 0, "preparedness": 2}]}),
            422,
            "/ratings/0/importance",
        ),
    ] {
        let r = vote(app, &tokens[1], body).await;
        assert_eq!(r.status().as_u16(), status);
        let p: Value = r.json().await.expect("problem");
        assert_eq!(p["pointer"], pointer, "{p}");
        assert!(p["detail"].as_str().is_some_and(|d| !d.is_empty()));
    }
    let r = vote(app, "fp_nobody", json!({"ratings": []})).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Team only.
    let results_url = format!("{}/api/v1/foresight/sessions/{}/results", app.base, s.id);
    let r = app.client.get(&results_url).send().await.expect("results");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .client
        .get(&results_url)
        .bearer_auth(&tokens[0])
        .send()
        .await
        .expect("results");
    assert!(r.status().is_client_error());

    let status: Value = app
        .client
        .get(format!("{}/api/v1/foresight/sessions/{}", app.base, s.id))
        .bearer_auth(&s.team_key)
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    assert_eq!(
        (
            status["joined"].as_u64(),
            status["voted"].as_u64(),
            status["open"].as_bool()
        ),
        (Some(7), Some(7), Some(true))
    );

    // Close through the API; late ballots are refused.
    let r = app
        .client
        .post(format!(
            "{}/api/v1/foresight/sessions/{}/close",
            app.base, s.id
        ))
        .bearer_auth(&s.team_key)
        .send()
        .await
        .expect("close");
    assert_eq!(r.status(), StatusCode::OK);
    let r = vote(app, &tokens[2], json!({"ratings": []})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = app
        .client
        .post(format!("{}/api/v1/foresight/join", app.base))
        .json(&json!({"join_code": s.join_code}))
        .send()
        .await
        .expect("join");
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let v: Value = app
        .client
        .get(&results_url)
        .bearer_auth(&s.team_key)
        .send()
        .await
        .expect("results")
        .json()
        .await
        .expect("json");
    assert_eq!(v["ballots"], 7);
    let t11 = v["trends"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["code"] == "1.1"))
        .cloned()
        .expect("1.1");
    // Importance (5 + 6*6)/7, preparedness (1 + 2*6)/7: exact, not rounded.
    assert_eq!(t11["importance_mean"].as_f64(), Some(41.0 / 7.0));
    assert_eq!(t11["preparedness_mean"].as_f64(), Some(13.0 / 7.0));
    assert_eq!(t11["in_blind_spot"], true);
    assert_eq!(t11["theme"], "Samfunnet");
    assert_eq!(v["trends"][0]["code"], "1.1", "sorted by gap");
    let x1 = v["trends"]
        .as_array()
        .and_then(|t| t.iter().find(|t| t["code"] == "X.1"))
        .cloned()
        .expect("X.1");
    assert_eq!(x1["n"], 6, "the changed ballot no longer rates X.1");
    assert!(v["themes"].as_array().is_some_and(|t| t.len() == 3));
    // Five clinicians are shown; the two advisers are hidden (and so is the
    // smallest shown group, so they cannot be derived by subtraction).
    let roles = v["segments"]["by_role"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let adviser = roles
        .iter()
        .find(|s| s["key"] == "adviser")
        .expect("adviser segment");
    assert_eq!(adviser["status"], "hidden");
    assert!(adviser.get("ballots").is_none());

    // The CLI path reads the same numbers straight from the database.
    let loaded = fs::load(app.store.as_ref(), &s.id).await.expect("load");
    let direct = fs::compute_results(app.store.as_ref(), &loaded)
        .await
        .expect("compute");
    // Compare as the client sees both (serde_json's default float parsing is
    // not round-trip exact, so parse both from text).
    let direct: Value =
        serde_json::from_str(&serde_json::to_string(&direct).expect("json")).expect("json");
    assert_eq!(direct, v);

    // Presenter link: the key sets a cookie scoped to the session and is dropped from the URL.
    let r = app
        .client
        .get(format!(
            "{}/foresight/sessions/{}/present?key={}",
            app.base, s.id, s.team_key
        ))
        .send()
        .await
        .expect("present");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict")
            && cookie.contains(&format!("Path=/foresight/sessions/{}", s.id)),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap_or_default().to_owned();
    let page = app
        .client
        .get(format!("{}/foresight/sessions/{}/present", app.base, s.id))
        .header("cookie", &pair)
        .header("accept-language", "en")
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("Strategic blind spot") && html.contains("<svg"),
        "closed session shows the matrix"
    );
    let report = app
        .client
        .get(format!("{}/foresight/sessions/{}/report", app.base, s.id))
        .header("cookie", &pair)
        .send()
        .await
        .expect("report");
    assert_eq!(report.status(), StatusCode::OK);
    let csp = report
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        csp.contains("style-src 'sha256-") && !csp.contains("script-src"),
        "{csp}"
    );
    let html = report.text().await.expect("html");
    assert!(
        html.contains("Evaluering av trendene") && html.contains("Metode") && html.contains("<svg")
    );
    assert!(!html.contains("<link"), "self-contained");
    let csv = app
        .client
        .get(format!(
            "{}/foresight/sessions/{}/trends.csv",
            app.base, s.id
        ))
        .header("cookie", &pair)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(csv.lines().count() >= 4 && csv.contains("1.1"));
    let r = app
        .client
        .get(format!("{}/foresight/sessions/{}/report", app.base, s.id))
        .send()
        .await
        .expect("report");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "no cookie, no report");
}

async fn a_phone_votes_with_the_plain_html_form(app: &App) {
    let s = create(app, study_session()).await;
    let phone = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = phone
        .get(format!("{}/f/{}", app.base, s.join_code))
        .send()
        .await
        .expect("join page");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page
        .text()
        .await
        .expect("html")
        .contains("Helse og omsorg 2030"));
    let r = phone
        .post(format!("{}/f/{}/join", app.base, s.join_code))
        .send()
        .await
        .expect("join");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let form = phone
        .get(format!("{}/f/{}/ballot", app.base, s.join_code))
        .send()
        .await
        .expect("ballot")
        .text()
        .await
        .expect("html");
    assert!(
        form.contains("Svært viktig") && form.contains("Svært lite beredt"),
        "the study's labels"
    );
    assert!(form.contains("<fieldset") && form.contains("<legend"));
    // Missing ratings: the form comes back with errors next to the fields.
    let r = phone
        .post(format!("{}/f/{}/ballot", app.base, s.join_code))
        .form(&[("imp_0", "6"), ("prep_0", "2")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("id=\"imp_1-error\"") && html.contains("checked"),
        "errors shown, answers kept"
    );
    let full = [
        ("role", "director"),
        ("experience_years", "12"),
        ("imp_0", "6"),
        ("prep_0", "2"),
        ("imp_1", "5"),
        ("prep_1", "3"),
        ("imp_2", "4"),
        ("prep_2", "4"),
    ];
    let r = phone
        .post(format!("{}/f/{}/ballot", app.base, s.join_code))
        .form(&full)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = app.store.foresight_counts(&s.id).await.expect("counts");
    assert_eq!((c.joined, c.voted), (1, 1));
    let again = phone
        .get(format!("{}/f/{}/ballot?saved=1", app.base, s.join_code))
        .send()
        .await
        .expect("again")
        .text()
        .await
        .expect("html");
    assert!(again.contains("Svarene er lagret"));
    assert!(
        again.contains("value=\"director\" checked"),
        "the stored ballot is shown again"
    );
    let stored = app.store.foresight_ballots(&s.id).await.expect("ballots");
    assert_eq!(stored.len(), 1);
    assert!(
        !stored[0].contains("127.0.0.1"),
        "nothing about the device is stored"
    );
    // Unknown codes get a clear page.
    let r = phone
        .get(format!("{}/f?code=nope42", app.base))
        .send()
        .await
        .expect("code");
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

async fn library_and_openapi(app: &App) {
    let lib: Value = app
        .client
        .get(format!("{}/api/v1/foresight/library", app.base))
        .send()
        .await
        .expect("lib")
        .json()
        .await
        .expect("json");
    assert_eq!(lib["driving_forces"].as_array().map(Vec::len), Some(17));
    assert_eq!(lib["trends"].as_array().map(Vec::len), Some(14));
    let page = app
        .client
        .get(format!("{}/foresight/library", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Driving forces") && page.contains("Key figures"));
    let doc: Value = app
        .client
        .get(format!("{}/api/openapi.json", app.base))
        .send()
        .await
        .expect("doc")
        .json()
        .await
        .expect("json");
    assert!(doc["paths"]["/api/v1/foresight/ballots"].is_object());
    let bad = SessionFile::parse(r#"{"title": "x", "trends": [{"code": "9.9"}]}"#).expect("parses");
    let e = fs::create_session(app.store.as_ref(), bad)
        .await
        .expect_err("unknown trend without title");
    assert!(e.to_string().contains("/trends/0/title"), "{e}");
}

#[tokio::test]
async fn foresight_end_to_end_on_sqlite() {
    let (app, _dir) = sqlite_app().await;
    a_gathering_from_join_to_report(&app).await;
    a_phone_votes_with_the_plain_html_form(&app).await;
    library_and_openapi(&app).await;
}

#[tokio::test]
async fn foresight_end_to_end_on_postgres() {
    let Some(url) = samlet_store::testing::fresh_postgres_database("fsrv").await else {
        return;
    };
    let app = start(url).await;
    a_gathering_from_join_to_report(&app).await;
    a_phone_votes_with_the_plain_html_form(&app).await;
}
