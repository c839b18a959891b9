//! Life events end to end: Folkeregisteret reports a birth, Kari gets the new-parent checklist and
//! a child benefit offer, NAV and Kari tick off tasks.

use serde_json::{json, Value};

use super::helpers::{born, csrf_in, TestApp};

async fn a_birth_gives_the_parent_a_checklist_and_an_offer(app: TestApp) {
    let folkeregisteret = app.agency("97476107", "Skatteetaten").await.token;
    let nav = app.agency("88964078", "NAV").await.token;
    let kari = born(1988, 4, 12);
    let baby = born(2026, 1, 10);
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
        http.post(format!("{}/api/v1/events", app.base))
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
    let c = app.citizen(&kari).await;
    let mine: Value = c
        .get(format!("{}/api/v1/me/journeys", app.base))
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
            app.base
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
            app.base
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
    let ola = app.citizen(&born(1959, 9, 30)).await;
    let r = ola
        .post(format!(
            "{}/api/v1/me/journeys/{journey_id}/tasks/name/done",
            app.base
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 404);

    // The overview page shows the journey and the offer; the checklist page shows progress.
    let html = c
        .get(format!("{}/me", app.base))
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
        .get(format!("{}/me/journeys/{journey_id}", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(page.contains("2 / 6"), "{page}");
    // The overview JSON keeps its fields.
    let o: Value = c
        .get(format!("{}/api/v1/me/overview", app.base))
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
    a_birth_gives_the_parent_a_checklist_and_an_offer(TestApp::spawn().await).await;
}

#[tokio::test]
async fn postgres_a_birth_gives_the_parent_a_checklist_and_an_offer() {
    let Some(app) = TestApp::builder().postgres().try_spawn().await else {
        return;
    };
    a_birth_gives_the_parent_a_checklist_and_an_offer(app).await;
}

/// Sends an event as Folkeregisteret and returns the receipt.
async fn report(app: &TestApp, token: &str, event: Value) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{}/api/v1/events", app.base))
        .bearer_auth(token)
        .json(&event)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    r.json().await.unwrap_or_default()
}

async fn my_journeys(c: &reqwest::Client, app: &TestApp) -> Value {
    c.get(format!("{}/api/v1/me/journeys", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default()
}

fn rule_set(dir: &str) -> samlet_rules::RuleSet {
    samlet_rules::load_rule_set(format!(
        "{}/../samlet-rules/{dir}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("{e}"))
}

async fn a_death_offers_a_funeral_grant_and_a_rule_change_offers_more(app: TestApp) {
    let folkeregisteret = app.agency("97476107", "Skatteetaten").await.token;
    let ola = born(1959, 9, 30);
    let kari = born(1988, 4, 12);
    // A death: the surviving spouse gets the funeral grant offer from offers.yaml.
    let r = report(
        &app,
        &folkeregisteret,
        json!({
            "event_id": "death-1", "pid": born(1961, 5, 20), "kind": "death", "date": "2026-10-03",
            "related": [{"pid": ola, "relation": "spouse"}],
            "household": {"deceased_birth_date": "1961-05-20", "deceased_assets": 52000, "spouse_assets": 0}
        }),
    )
    .await;
    assert_eq!(r["offers"], 1, "{r}");
    let c = app.citizen(&ola).await;
    let mine = my_journeys(&c, &app).await;
    let offer = &mine["offers"][0];
    assert_eq!(offer["ruleset"], "funeral-grant", "{mine}");
    assert_eq!(offer["period"], "2026-10");
    assert_eq!(offer["amount"], "16000");
    assert_eq!(offer["unit"], "once");
    assert_eq!(offer["title_nb"], "gravferdsstønad");
    assert_eq!(offer["reason"], "event");
    assert!(offer["explanation_en"]
        .as_str()
        .unwrap_or_default()
        .contains("folketrygdloven § 7-10"));
    let html = c
        .get(format!("{}/me", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(
        html.contains("Du kan ha rett til gravferdsstønad"),
        "{html}"
    );

    // A birth: child benefit for the month after, as before.
    let r = report(
        &app,
        &folkeregisteret,
        json!({
            "event_id": "birth-1", "pid": born(2026, 10, 1), "kind": "birth", "date": "2026-10-01",
            "related": [{"pid": kari, "relation": "parent"}],
            "household": {"members": [
                {"id": "Kari", "role": "parent", "birth_date": "1988-04-12", "annual_income": 560000},
                {"id": "baby", "role": "child", "birth_date": "2026-10-01", "annual_income": 0}
            ]}
        }),
    )
    .await;
    assert_eq!(r["offers"], 1, "{r}");

    // The rule set changes: a new rate from 2027-01-01. Kari is entitled to more; Ola's funeral
    // grant is not a child benefit matter.
    let catalogue = samlet_journeys::shipped_catalogue().unwrap_or_else(|e| panic!("{e}"));
    let changed = rule_set("examples/rule-change/child-benefit");
    let jan: samlet_rules::Period = "2027-01".parse().unwrap_or_else(|e| panic!("{e}"));
    let mut calls = 0;
    let report1 =
        samlet_app::journeys::offers::rerun(&*app.store, &catalogue, &changed, jan, |_, _| {
            calls += 1
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(calls >= 2, "progress is reported");
    assert_eq!(
        (report1.evaluated, report1.entitled, report1.new_offers),
        (1, 1, 1),
        "{report1:?}"
    );
    // Idempotent: running it again offers nothing new.
    let report2 =
        samlet_app::journeys::offers::rerun(&*app.store, &catalogue, &changed, jan, |_, _| {})
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (report2.entitled, report2.new_offers),
        (0, 0),
        "{report2:?}"
    );
    // The old rules for a later month give less than the newest offer: nothing.
    let shipped = rule_set("rules/child-benefit");
    let feb: samlet_rules::Period = "2027-02".parse().unwrap_or_else(|e| panic!("{e}"));
    let report3 =
        samlet_app::journeys::offers::rerun(&*app.store, &catalogue, &shipped, feb, |_, _| {})
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report3.new_offers, 0, "{report3:?}");
    // The funeral grant is paid once: a re-run does not offer it again.
    let grant = rule_set("rules/funeral-grant");
    let report4 =
        samlet_app::journeys::offers::rerun(&*app.store, &catalogue, &grant, jan, |_, _| {})
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (report4.evaluated, report4.new_offers),
        (1, 0),
        "{report4:?}"
    );

    let k = app.citizen(&kari).await;
    let mine = my_journeys(&k, &app).await;
    let offers = mine["offers"].as_array().cloned().unwrap_or_default();
    assert_eq!(offers.len(), 2, "{mine}");
    let new = offers
        .iter()
        .find(|o| o["reason"] == "rule-change")
        .cloned()
        .unwrap_or_default();
    assert_eq!(new["period"], "2027-01");
    assert_eq!(new["amount"], "1968");
    assert!(
        new["explanation_nb"]
            .as_str()
            .unwrap_or_default()
            .starts_with("Fordi reglene ble endret fra 1. januar 2027"),
        "{new}"
    );
    assert!(new["explanation_en"]
        .as_str()
        .unwrap_or_default()
        .starts_with("Because the rules changed from 1 January 2027"));
    let html = k
        .get(format!("{}/me", app.base))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains("Nytt fordi reglene er endret"), "{html}");
}

#[tokio::test]
async fn sqlite_a_death_offers_a_funeral_grant_and_a_rule_change_offers_more() {
    a_death_offers_a_funeral_grant_and_a_rule_change_offers_more(TestApp::spawn().await).await;
}

#[tokio::test]
async fn postgres_a_death_offers_a_funeral_grant_and_a_rule_change_offers_more() {
    let Some(app) = TestApp::builder().postgres().try_spawn().await else {
        return;
    };
    a_death_offers_a_funeral_grant_and_a_rule_change_offers_more(app).await;
}

fn task<'a>(j: &'a Value, id: &str) -> Option<&'a Value> {
    j["tasks"].as_array()?.iter().find(|t| t["id"] == id)
}

async fn the_citizen_answers_what_no_register_knows(app: TestApp) {
    let brreg = app.agency("97476107", "Skatteetaten").await.token;
    let amir = born(1979, 2, 3);
    let r = report(
        &app,
        &brreg,
        json!({"event_id": "start-1", "pid": amir, "kind": "business-start", "date": "2026-03-02"}),
    )
    .await;
    let id = r["journeys"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let c = app.citizen(&amir).await;
    let j = my_journeys(&c, &app).await["journeys"][0].clone();
    let facts: Vec<&str> = j["questions"]
        .as_array()
        .map(|q| q.iter().filter_map(|q| q["fact"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(facts, ["serves_alcohol", "has_employees"], "{j}");
    assert_eq!(
        task(&j, "alcohol-licence").map(|t| &t["certain"]),
        Some(&json!(false))
    );
    // He registers as an employer before he has decided; that stays done whatever he answers.
    let r = c
        .post(format!(
            "{}/api/v1/me/journeys/{id}/tasks/employer-registration/done",
            app.base
        ))
        .json(&json!({}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);

    let answer = |body: Value| {
        c.post(format!("{}/api/v1/me/journeys/{id}/answers", app.base))
            .json(&body)
            .send()
    };
    let r = answer(json!({"answers": {"serves_alcohol": true, "has_employees": false}}))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let j: Value = r.json().await.unwrap_or_default();
    let alcohol = task(&j, "alcohol-licence").cloned().unwrap_or_default();
    assert_eq!(alcohol["certain"], true, "{j}");
    assert_eq!(alcohol["self_declared"][0]["fact"], "serves_alcohol");
    assert_eq!(alcohol["self_declared"][0]["value"], true);
    assert!(task(&j, "hms-card").is_none(), "no employees: no HMS task");
    let employer = task(&j, "employer-registration")
        .cloned()
        .unwrap_or_default();
    assert_eq!(employer["done"], true, "done tasks stay: {j}");
    assert_eq!(j["questions"][0]["answer"], true);

    // Only the journey's questions, with answers of the right type.
    let p: Value = answer(json!({"answers": {"owns_vehicle": true}}))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(p["pointer"], "/answers/owns_vehicle", "{p}");
    let r = answer(json!({"answers": {"serves_alcohol": "2020-01-01"}}))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 422);
    // Someone else's journey does not exist for them.
    let other = app.citizen(&born(1988, 4, 12)).await;
    let r = other
        .post(format!("{}/api/v1/me/journeys/{id}/answers", app.base))
        .json(&json!({"answers": {"serves_alcohol": true}}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 404);

    // The web form: CSRF token required; the answer changes the checklist and shows as
    // self-declared.
    let page = |lang: &'static str| {
        c.get(format!("{}/me/journeys/{id}", app.base))
            .header("accept-language", lang)
            .send()
    };
    let html = page("nb")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains("data-testid=\"questions\""), "{html}");
    assert!(html.contains("Egenerklært"), "{html}");
    let csrf = csrf_in(&html);
    let form = |csrf: String| {
        c.post(format!("{}/me/journeys/{id}/answers", app.base))
            .form(&[("csrf", csrf), ("fact.has_employees", "true".to_owned())])
            .send()
    };
    let r = form("wrong".into()).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 403);
    let r = form(csrf).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 303);
    let j = my_journeys(&c, &app).await["journeys"][0].clone();
    let hms = task(&j, "hms-card").cloned().unwrap_or_default();
    assert_eq!(hms["certain"], true, "{j}");
    assert_eq!(hms["self_declared"][0]["fact"], "has_employees");
    // Danish.
    let html = page("da")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .unwrap_or_default();
    assert!(html.contains("Spørgsmål kun du kan svare på"), "{html}");
    assert!(html.contains("Egenerklæret"), "{html}");
}

#[tokio::test]
async fn sqlite_the_citizen_answers_what_no_register_knows() {
    the_citizen_answers_what_no_register_knows(TestApp::spawn().await).await;
}

#[tokio::test]
async fn postgres_the_citizen_answers_what_no_register_knows() {
    let Some(app) = TestApp::builder().postgres().try_spawn().await else {
        return;
    };
    the_citizen_answers_what_no_register_knows(app).await;
}
