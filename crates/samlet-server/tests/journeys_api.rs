//! Life events end to end: Folkeregisteret reports a birth, Kari gets the new-parent checklist and
//! a child benefit offer, NAV and Kari tick off tasks.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::NaiveDate;
use samlet_domain::{OrgNumber, Pid};
use samlet_server::{AppState, Config};
use samlet_store::Store;
use serde_json::{json, Value};

struct App {
    url: String,
    store: Arc<dyn Store>,
    _dir: Option<tempfile::TempDir>,
}

async fn start_with(db: String, dir: Option<tempfile::TempDir>) -> App {
    let store = samlet_store::connect(&db)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let listen: SocketAddr = "127.0.0.1:0".parse().unwrap_or_else(|e| panic!("{e}"));
    let state = AppState::new(store.clone(), Config::dev(listen, db))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (addr, _server) = samlet_server::spawn(state)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    App {
        url: format!("http://{addr}"),
        store,
        _dir: dir,
    }
}

async fn sqlite() -> App {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = format!("sqlite://{}", dir.path().join("t.db").display());
    start_with(db, Some(dir)).await
}

async fn token(app: &App, org: &str, name: &str) -> String {
    let org = OrgNumber::parse(org).unwrap_or_else(|e| panic!("{e}"));
    let a = app
        .store
        .create_agency(&org, name)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let t = samlet_server::auth::random_token("samlet_dev_");
    app.store
        .insert_agency_token(
            &samlet_server::auth::token_hash(&t),
            a.id,
            samlet_store::TOKEN_DEV,
            &samlet_server::auth::ALL_SCOPES.join(" "),
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    t
}

fn pid(y: i32, m: u32, d: u32) -> String {
    let birth = NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    (100..1000)
        .find_map(|i| Pid::synthetic(birth, i))
        .map(|p| p.to_string())
        .unwrap_or_default()
}

async fn login(app: &App, pid: &str) -> reqwest::Client {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let r = c
        .post(format!("{}/auth/dev/login", app.url))
        .form(&[("pid", pid), ("next", "/me")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(r.status().is_redirection(), "{}", r.status());
    c
}

async fn a_birth_gives_the_parent_a_checklist_and_an_offer(app: App) {
    let folkeregisteret = token(&app, "974761076", "Skatteetaten").await;
    let nav = token(&app, "889640782", "NAV").await;
    let kari = pid(1988, 4, 12);
    let baby = pid(2026, 1, 10);
    let http = reqwest::Client::new();
    let event = json!({
        "event_id": "birth-2026-0001",
        "pid": baby,
        "kind": "birth",
        "date": "2026-01-10",
        "related": [{"pid": kari, "relation": "parent"}],
        "household": {"members": [
            {"id": "Kari", "role": "parent", "birth_date": "1988-04-12", "annual_income": 520000},
            {"id": "baby", "role": "child", "birth_date": "2026-01-10", "annual_income": 0}
        ]}
    });
    let send = |body: Value| {
        http.post(format!("{}/api/v1/events", app.url))
            .bearer_auth(&folkeregisteret)
            .json(&body)
            .send()
    };
    let r: Value = send(event.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(r["new"], true, "{r}");
    assert_eq!(r["journeys"][0]["journey"], "new-parent", "{r}");
    assert_eq!(r["offers"], 1, "{r}");
    let journey_id = r["journeys"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    // Reported twice: nothing changes.
    let again: Value = send(event)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(again["new"], false, "{again}");

    // A bad person id is a problem with a pointer.
    let bad = send(json!({"event_id": "x", "pid": "123", "kind": "birth", "date": "2026-01-10"}))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bad.status(), 422);
    let p: Value = bad.json().await.unwrap_or_default();
    assert_eq!(p["pointer"], "/pid");

    // Kari sees the checklist and the offer.
    let c = login(&app, &kari).await;
    let mine: Value = c
        .get(format!("{}/api/v1/me/journeys", app.url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(mine["journeys"].as_array().map(Vec::len), Some(1), "{mine}");
    let tasks = mine["journeys"][0]["tasks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let name = tasks
        .iter()
        .find(|t| t["id"] == "name")
        .cloned()
        .unwrap_or_default();
    assert_eq!(name["due"], "2026-07-10");
    assert_eq!(name["can_mark_done"], true);
    assert_eq!(mine["offers"][0]["ruleset"], "child-benefit", "{mine}");
    assert!(mine["offers"][0]["explanation_nb"]
        .as_str()
        .unwrap_or_default()
        .contains("barnetrygdloven"));

    // Kari ticks off the name; she cannot tick off NAV's task.
    let done = |task: &str| {
        c.post(format!(
            "{}/api/v1/me/journeys/{journey_id}/tasks/{task}/done",
            app.url
        ))
        .json(&json!({}))
        .send()
    };
    let r = done("name").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let r = done("child-benefit")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 403);

    // NAV marks child benefit done; Skatteetaten may not mark NAV's task.
    let agency_done = |t: &str, task: &str| {
        http.post(format!(
            "{}/api/v1/journeys/{journey_id}/tasks/{task}/done",
            app.url
        ))
        .bearer_auth(t)
        .send()
    };
    let r = agency_done(&folkeregisteret, "child-benefit")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 403);
    let r = agency_done(&nav, "child-benefit")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);

    // Someone else does not see Kari's journey.
    let ola = login(&app, &pid(1959, 9, 30)).await;
    let r = ola
        .post(format!(
            "{}/api/v1/me/journeys/{journey_id}/tasks/name/done",
            app.url
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 404);

    // The overview page shows the journey and the offer; the checklist page shows progress.
    let html = c
        .get(format!("{}/me", app.url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(
        html.contains("data-testid=\"journeys\"") && html.contains("Nybakt forelder"),
        "{html}"
    );
    assert!(html.contains("data-testid=\"offers\""), "{html}");
    let page = c
        .get(format!("{}/me/journeys/{journey_id}", app.url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(page.contains("2 / 6"), "{page}");
    // The overview JSON keeps its fields.
    let o: Value = c
        .get(format!("{}/api/v1/me/overview", app.url))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert!(o.get("journeys").is_none());
}

#[tokio::test]
async fn sqlite_a_birth_gives_the_parent_a_checklist_and_an_offer() {
    a_birth_gives_the_parent_a_checklist_and_an_offer(sqlite().await).await;
}

#[tokio::test]
async fn postgres_a_birth_gives_the_parent_a_checklist_and_an_offer() {
    let Some(url) = samlet_store::testing::fresh_postgres_database("journeys").await else {
        return;
    };
    a_birth_gives_the_parent_a_checklist_and_an_offer(start_with(url, None).await).await;
}
