//! Representation and consent, end to end over HTTP: mandates,
//! guardianships, parental authority, the representative's list and views,
//! consent requests and the sharing read, the caseworker lookup. Includes a
//! property test that every allowed read leaves exactly one access-log entry
//! and every refused read none.

use chrono::{Duration, Utc};
use proptest::prelude::*;
use reqwest::header::CONTENT_TYPE;
use samlet_domain::Pid;
use serde_json::{json, Value};

use crate::helpers::{csrf_in, minor, person, problem, Agency, TestApp};

#[tokio::test]
async fn ola_gives_kari_a_mandate_for_benefits_she_sees_only_that_and_he_sees_her_look() {
    let app = TestApp::spawn().await;
    let (ola, kari) = (person(1), person(2));
    app.two_agencies_with_cases(&ola).await;
    let ola_c = app.login(&ola).await;
    let kari_c = app.login(&kari).await;

    // Before any mandate: refused with the reason.
    let path = format!("/api/v1/represented/{}/overview", ola.as_str());
    let p = problem(app.get_as(&kari_c, &path).await, 403).await;
    assert!(
        p["type"].as_str().unwrap_or("").ends_with("/no-basis"),
        "{p}"
    );

    let res = app.post_as(&ola_c,
        "/api/v1/me/mandates",
        &json!({"to_pid": kari.as_str(), "to_surname": app.surname(&kari).await, "scopes": ["benefits"], "actions": ["read"]}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let m: Value = res.json().await.expect("json");
    let id = m["id"].as_str().expect("id").to_owned();
    assert_eq!(m["state"], "active");

    let mine: Value = app
        .get_as(&ola_c, "/api/v1/me/mandates")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["given"].as_array().map(Vec::len), Some(1));
    let hers: Value = app
        .get_as(&kari_c, "/api/v1/me/mandates")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(hers["received"][0]["id"], id.as_str());

    let list: Value = app
        .get_as(&kari_c, "/api/v1/represented")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["people"][0]["pid"], ola.as_str());

    let res = app.get_as(&kari_c, &path).await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.expect("json");
    let titles: Vec<&str> = v["overview"]["cases"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["title"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(titles, vec!["Dagpenger"], "only the benefits area is shown");
    assert_eq!(v["scopes"], json!(["benefits"]));

    // Ola sees the view in his access log as Kari on his behalf.
    let log = app.access_log(&ola_c).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["accessor"]["org"], kari.as_str());
    assert!(log[0]["on_behalf_of"].is_string());

    // Kari cannot revoke as if she were Ola? She may resign; a stranger may not touch it.
    let stranger = app.login(&person(3)).await;
    problem(
        app.delete_as(&stranger, &format!("/api/v1/me/mandates/{id}"))
            .await,
        404,
    )
    .await;
    // Ola revokes: effective at once.
    let res = app
        .delete_as(&ola_c, &format!("/api/v1/me/mandates/{id}"))
        .await;
    assert_eq!(res.status(), 204);
    let p = problem(app.get_as(&kari_c, &path).await, 403).await;
    assert!(
        p["type"].as_str().unwrap_or("").ends_with("/revoked"),
        "{p}"
    );
    assert_eq!(
        app.access_log(&ola_c).await.len(),
        1,
        "a refusal logs nothing"
    );
    let list: Value = app
        .get_as(&kari_c, "/api/v1/represented")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(list["people"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn mandate_input_is_checked_and_the_age_rule_is_configurable() {
    let app = TestApp::spawn().await;
    let teen = minor(16, 1);
    let adult = person(4);
    let teen_c = app.login(&teen).await;
    let body = json!({"to_pid": adult.as_str(), "to_surname": "Testesen", "scopes": ["all"], "actions": ["read"]});
    let p = problem(
        app.post_as(&teen_c, "/api/v1/me/mandates", &body).await,
        403,
    )
    .await;
    assert!(
        p["type"]
            .as_str()
            .unwrap_or("")
            .ends_with("/giver-too-young"),
        "{p}"
    );

    let adult_c = app.login(&adult).await;
    let bad = json!({"to_pid": teen.as_str(), "to_surname": "Testesen", "scopes": ["all"], "actions": ["read"]});
    let p = problem(
        app.post_as(&adult_c, "/api/v1/me/mandates", &bad).await,
        403,
    )
    .await;
    assert!(p["type"]
        .as_str()
        .unwrap_or("")
        .ends_with("/representative-too-young"));
    let bad = json!({"to_pid": person(5).as_str(), "to_surname": "Testesen", "scopes": ["Not A Scope"], "actions": ["read"]});
    let p = problem(
        app.post_as(&adult_c, "/api/v1/me/mandates", &bad).await,
        422,
    )
    .await;
    assert_eq!(p["pointer"], "/scopes/0");
    let bad = json!({"to_pid": person(5).as_str(), "to_surname": "Testesen", "scopes": ["tax"], "actions": ["sign"]});
    let p = problem(
        app.post_as(&adult_c, "/api/v1/me/mandates", &bad).await,
        422,
    )
    .await;
    assert_eq!(p["pointer"], "/actions/0");
    let bad = json!({"to_pid": person(5).as_str(), "to_surname": "Testesen", "scopes": ["tax"], "actions": ["read"], "valid_to": "2020-01-01"});
    let p = problem(
        app.post_as(&adult_c, "/api/v1/me/mandates", &bad).await,
        403,
    )
    .await;
    assert_eq!(p["pointer"], "/valid_to");

    // Denmark: from 15.
    let dk = TestApp::builder()
        .config(|c| c.representation_rules = samlet_access::Rules::DENMARK)
        .spawn()
        .await;
    assert_eq!(dk.surname(&adult).await, "Testesen");
    let teen_c = dk.login(&teen).await;
    let res = dk.post_as(&teen_c, "/api/v1/me/mandates", &body).await;
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn guardians_and_parents_are_registered_by_authorities_and_list_by_name() {
    let app = TestApp::spawn().await;
    let fm = app
        .agency_with("97477278", "Statsforvalteren", "samlet:guardianship")
        .await;
    let folk = app
        .agency_with("97476107", "Folkeregisteret", "samlet:population")
        .await;
    let plain = app.agency("88964078", "NAV").await;
    let guardian = person(10);
    let wards: Vec<Pid> = (11..16).map(person).collect();
    let names = ["Eva", "Bjørn", "Anne", "Åse", "Carl"];
    for (w, n) in wards.iter().zip(names) {
        let res = app
            .post_json(&fm, "/api/v1/guardianships",
                &json!({"guardian_pid": guardian.as_str(), "ward_pid": w.as_str(), "ward_name": n, "reference": "SF-1"}))
            .await;
        assert_eq!(res.status(), 201);
    }
    let p = problem(
        app.post_json(
            &plain,
            "/api/v1/guardianships",
            &json!({"guardian_pid": guardian.as_str(), "ward_pid": wards[0].as_str()}),
        )
        .await,
        403,
    )
    .await;
    assert!(p["detail"]
        .as_str()
        .unwrap_or("")
        .contains("samlet:guardianship"));

    let g = app.login(&guardian).await;
    let page: Value = app
        .get_as(&g, "/api/v1/represented?per_page=2")
        .await
        .json()
        .await
        .expect("json");
    let got: Vec<&str> = page["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(got, vec!["Anne", "Bjørn"], "by name, paged");
    assert_eq!(page["next_page"], 2);
    let page: Value = app
        .get_as(&g, "/api/v1/represented?q=%C3%A5se")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["people"][0]["name"], "Åse");
    assert_eq!(page["people"][0]["kinds"], json!(["guardianship"]));

    // Parental authority: from the population register, ends at 18.
    let parent = person(20);
    let child = minor(10, 2);
    let res = app
        .post_json(&folk, "/api/v1/population/parental",
            &json!({"parent_pid": parent.as_str(), "child_pid": child.as_str(), "child_name": "Lille Mia"}))
        .await;
    assert_eq!(res.status(), 201);
    let grown = minor(19, 3);
    let p = problem(
        app.post_json(
            &folk,
            "/api/v1/population/parental",
            &json!({"parent_pid": parent.as_str(), "child_pid": grown.as_str()}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["pointer"], "/child_pid");
    let pc = app.login(&parent).await;
    let res = app
        .get_as(
            &pc,
            &format!("/api/v1/represented/{}/overview", child.as_str()),
        )
        .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["kinds"], json!(["parental"]));
    assert_eq!(v["scopes"], json!(["all"]));

    // The county governor ends a guardianship; the ward drops out of the list.
    let id = app
        .store
        .representations_of_subject(wards[0].as_str())
        .await
        .expect("rows")[0]
        .id
        .clone();
    let res = app
        .http
        .delete(app.url(&format!("/api/v1/guardianships/{id}")))
        .bearer_auth(&fm.token)
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 204);
    let page: Value = app
        .get_as(&g, "/api/v1/represented")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(page["people"].as_array().map(Vec::len), Some(4));
}

async fn share(app: &TestApp, a: &Agency, pid: &Pid, category: &str) -> reqwest::Response {
    app.http
        .get(app.url(&format!("/api/v1/share/{}/{category}", pid.as_str())))
        .bearer_auth(&a.token)
        .header("Samlet-Purpose", "Én plan for oppfølging")
        .header("Samlet-Legal-Basis", "Samtykke")
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn oslo_reads_nav_data_only_while_the_consent_is_valid() {
    let app = TestApp::spawn().await;
    let ola = person(30);
    let (nav, _skatt) = app.two_agencies_with_cases(&ola).await;
    let oslo = app
        .agency_with("95893542", "Oslo kommune", "samlet:share")
        .await;
    let valid_to = (Utc::now() + Duration::days(90)).date_naive().to_string();
    let res = app
        .post_json(&oslo, "/api/v1/consent-requests",
            &json!({"pid": ola.as_str(), "from_org": nav.org, "categories": ["cases"], "purpose": "Én plan", "valid_to": valid_to}))
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let bad = app
        .post_json(&oslo, "/api/v1/consent-requests",
            &json!({"pid": ola.as_str(), "from_org": nav.org, "categories": ["dna"], "purpose": "x", "valid_to": valid_to}))
        .await;
    assert_eq!(problem(bad, 422).await["pointer"], "/categories/0");

    let p = problem(share(&app, &oslo, &ola, "cases").await, 403).await;
    assert!(
        p["type"]
            .as_str()
            .unwrap_or("")
            .ends_with("/consent-pending"),
        "{p}"
    );
    // Without purpose headers: 400, nothing read.
    let res = app
        .http
        .get(app.url(&format!("/api/v1/share/{}/cases", ola.as_str())))
        .bearer_auth(&oslo.token)
        .send()
        .await
        .expect("req");
    problem(res, 400).await;

    let ola_c = app.login(&ola).await;
    let reqs: Value = app
        .get_as(&ola_c, "/api/v1/me/consent-requests")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(reqs[0]["state"], "pending");
    assert_eq!(reqs[0]["requester_name"], "Oslo kommune");
    assert_eq!(reqs[0]["from_name"], "NAV");
    // JSON endpoints with a cookie require a JSON body.
    let res = app
        .http
        .post(app.url(&format!("/api/v1/me/consent-requests/{id}/approve")))
        .header(reqwest::header::COOKIE, &ola_c)
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 415);
    let res = app
        .post_as(
            &ola_c,
            &format!("/api/v1/me/consent-requests/{id}/approve"),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.expect("json")["id"],
        id.as_str(),
        "the consent keeps the request's id"
    );

    let res = share(&app, &oslo, &ola, "cases").await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.expect("json");
    let titles: Vec<&str> = v["data"]
        .as_array()
        .expect("data")
        .iter()
        .filter_map(|c| c["title"].as_str())
        .collect();
    assert_eq!(titles, vec!["Dagpenger"], "only NAV's cases");
    let p = problem(share(&app, &oslo, &ola, "benefits").await, 403).await;
    assert!(p["type"]
        .as_str()
        .unwrap_or("")
        .ends_with("/category-not-covered"));
    let log = app.access_log(&ola_c).await;
    assert_eq!(log.len(), 1, "one allowed read, one entry: {log:?}");
    assert_eq!(log[0]["accessor"]["name"], "Oslo kommune");
    assert_eq!(log[0]["categories"], json!(["cases"]));

    let res = app
        .delete_as(&ola_c, &format!("/api/v1/me/consents/{id}"))
        .await;
    assert_eq!(res.status(), 204);
    let p = problem(share(&app, &oslo, &ola, "cases").await, 403).await;
    assert!(p["type"]
        .as_str()
        .unwrap_or("")
        .ends_with("/consent-revoked"));
    assert_eq!(app.access_log(&ola_c).await.len(), 1);
}

#[tokio::test]
async fn a_caseworker_looks_up_mandates_and_consents_with_a_logged_reason() {
    let app = TestApp::spawn().await;
    let (ola, kari) = (person(6), person(7));
    let ola_c = app.login(&ola).await;
    let res = app.post_as(&ola_c,
        "/api/v1/me/mandates",
        &json!({"to_pid": kari.as_str(), "to_surname": app.surname(&kari).await, "scopes": ["tax"], "actions": ["read", "act"]}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let support = app
        .agency_with("97476107", "Skatteetaten", "samlet:support")
        .await;
    let no_scope = app.agency("88964078", "NAV").await;
    let url = app.url(&format!("/api/v1/persons/{}/representation", ola.as_str()));
    let res = app
        .http
        .get(&url)
        .bearer_auth(&no_scope.token)
        .header("Samlet-Purpose", "Hjelp")
        .header("Samlet-Legal-Basis", "x")
        .send()
        .await
        .expect("req");
    let p = problem(res, 403).await;
    assert!(p["type"]
        .as_str()
        .unwrap_or("")
        .ends_with("/no-support-scope"));
    let res = app
        .http
        .get(&url)
        .bearer_auth(&support.token)
        .send()
        .await
        .expect("req");
    problem(res, 400).await;
    assert!(app.access_log(&ola_c).await.is_empty());
    let res = app
        .http
        .get(&url)
        .bearer_auth(&support.token)
        .header("Samlet-Purpose", "Brukerstøtte: innbygger ringte")
        .header("Samlet-Legal-Basis", "Skatteforvaltningsloven")
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["given"][0]["to_pid"], kari.as_str());
    let log = app.access_log(&ola_c).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["purpose"], "Brukerstøtte: innbygger ringte");
}

#[tokio::test]
async fn the_pages_give_and_revoke_a_mandate_and_answer_a_consent_without_javascript() {
    let app = TestApp::spawn().await;
    let (ola, kari) = (person(50), person(51));
    let ola_c = app.login(&ola).await;
    let page = app
        .get_as(&ola_c, "/me/mandates")
        .await
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&page);
    let surname = app.surname(&kari).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("to_pid", kari.as_str()),
        ("to_surname", surname.as_str()),
        ("scope", "health"),
        ("scope", "tax"),
        ("action", "read"),
        ("valid_to", "2099-12-31"),
    ];
    let res = app
        .http
        .post(app.url("/me/mandates"))
        .header(reqwest::header::COOKIE, &ola_c)
        .form(&form)
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 303);
    let given = app
        .store
        .representations_of_subject(ola.as_str())
        .await
        .expect("rows");
    assert_eq!(
        given[0].scopes,
        vec![
            samlet_access::Scope::Area("health".into()),
            samlet_access::Scope::Area("tax".into())
        ]
    );
    // Without the CSRF token: refused.
    let res = app
        .http
        .post(app.url("/me/mandates"))
        .header(reqwest::header::COOKIE, &ola_c)
        .form(&[
            ("csrf", "nope"),
            ("to_pid", kari.as_str()),
            ("scope", "all"),
            ("action", "read"),
        ])
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 403);
    let res = app
        .http
        .post(app.url(&format!("/me/mandates/{}/revoke", given[0].id)))
        .header(reqwest::header::COOKIE, &ola_c)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 303);
    let again = app
        .store
        .representation(&given[0].id)
        .await
        .expect("row")
        .expect("found");
    assert!(again.revoked_at.is_some());
    let res = app.get_as(&ola_c, "/me/consents").await;
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .starts_with("text/html"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Random read and act mandates between four people, random revocations,
    /// reads and acts (opening a message for the person): a read succeeds
    /// exactly when a valid mandate exists, an act exactly when a valid
    /// mandate that allows acting exists (a read-only one never suffices),
    /// and each success leaves exactly one new entry in the represented
    /// person's access log; refusals leave none.
    #[test]
    fn every_allowed_read_or_act_is_logged_and_none_succeeds_without_a_basis(
        ops in proptest::collection::vec((0usize..4, 0usize..4, 0usize..4, any::<bool>()), 1..16)
    ) {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let app = TestApp::spawn().await;
            let people: Vec<Pid> = (60..64).map(person).collect();
            let nav = app.agency("88964078", "NAV").await;
            let mut cookies = Vec::new();
            for (i, p) in people.iter().enumerate() {
                cookies.push(app.login(p).await);
                // An agency's id belongs to one person: a message each.
                let res = app.post_json(&nav, "/api/v1/messages",
                    &json!({"pid": p.as_str(), "message_id": format!("M-{i}"), "subject": "Brev", "body": "Hei"})).await;
                assert!(res.status().is_success());
            }
            // (from, to, id, revoked, allows acting)
            let mut mandates: Vec<(usize, usize, String, bool, bool)> = Vec::new();
            let mut logged = [0usize; 4];
            for (op, a, b, flag) in ops {
                let valid = |act_needed: bool| a != b && mandates.iter().any(|(f, t, _, r, act)| *f == a && *t == b && !r && (*act || !act_needed));
                match op {
                    0 if a != b => {
                        let res = app.post_as(&cookies[a], "/api/v1/me/mandates",
                            &json!({"to_pid": people[b].as_str(), "to_surname": app.surname(&people[b]).await, "scopes": ["all"], "actions": [if flag {"read"} else {"act"}]})).await;
                        assert_eq!(res.status(), 201);
                        let id = res.json::<Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
                        mandates.push((a, b, id, false, !flag));
                    }
                    1 if !mandates.is_empty() => {
                        let i = (a * 4 + b) % mandates.len();
                        let (from, _, id, revoked, _) = mandates[i].clone();
                        let res = app.delete_as(&cookies[from], &format!("/api/v1/me/mandates/{id}")).await;
                        assert_eq!(res.status(), if revoked { 409 } else { 204 });
                        mandates[i].3 = true;
                    }
                    3 => {
                        let res = app.post_as(&cookies[b],
                            &format!("/api/v1/represented/{}/messages/{}/M-{a}/read", people[a].as_str(), nav.org),
                            &json!({})).await;
                        if valid(true) {
                            assert_eq!(res.status(), 200, "a valid mandate with act allows acting");
                            logged[a] += 1;
                        } else {
                            assert_eq!(res.status(), 403, "no act without a valid act basis");
                        }
                    }
                    _ => {
                        let res = app.get_as(&cookies[b], &format!("/api/v1/represented/{}/overview", people[a].as_str())).await;
                        if valid(false) {
                            assert_eq!(res.status(), 200, "a valid mandate allows the read");
                            logged[a] += 1;
                        } else {
                            assert_eq!(res.status(), 403, "no read without a valid basis");
                        }
                    }
                }
            }
            for (i, c) in cookies.iter().enumerate() {
                let entries = app.access_log(c).await;
                assert_eq!(entries.len(), logged[i], "person {i}: one log entry per allowed read or act");
            }
        });
    }
}

/// Ola's access log page names Kari, who looked on his behalf: by the name
/// the register has, else by a masked number; never her identity number.
/// In Danish the line reads "på vegne af".
#[tokio::test]
async fn the_access_log_page_names_the_representative_never_their_number() {
    let app = TestApp::spawn().await;
    let (ola, kari) = (person(80), person(81));
    app.two_agencies_with_cases(&ola).await;
    let ola_c = app.login(&ola).await;
    let kari_c = app.login(&kari).await;
    // Stored directly (a citizen's mandate needs the name in the register),
    // so that Kari has no name there yet.
    app.store
        .insert_representation(
            &samlet_store::NewRepresentation {
                id: "m_no_name".into(),
                kind: samlet_access::BasisKind::Mandate,
                subject_pid: ola.to_string(),
                representative_pid: kari.to_string(),
                scopes: vec![samlet_access::Scope::Area("benefits".into())],
                actions: vec![samlet_access::Action::Read],
                valid_from: Utc::now() - Duration::minutes(1),
                valid_to: None,
                registered_by: "citizen".into(),
                reference: None,
            },
            Utc::now(),
        )
        .await
        .expect("mandate");
    let path = format!("/api/v1/represented/{}/overview", ola.as_str());
    assert_eq!(app.get_as(&kari_c, &path).await.status(), 200);

    // No name in the register: a masked number, not the number.
    let html = app
        .get_as(&ola_c, "/me/access-log")
        .await
        .text()
        .await
        .expect("html");
    let masked = format!("{}*****", &kari.as_str()[..6]);
    assert!(html.contains(&masked), "masked number shown");
    assert!(
        !html.contains(kari.as_str()),
        "Kari's number is not on the page"
    );
    assert!(!html.contains(ola.as_str()), "nor Ola's own");
    assert!(html.contains("på vegne av"));
    assert!(html.contains("Handlet på dine vegne, innenfor: stønader og ytelser"));

    // With names from the register: her name, in Danish.
    app.store
        .upsert_person_names(
            &[
                (kari.to_string(), "Kari Nordmann".into()),
                (ola.to_string(), "Ola Nordmann".into()),
            ],
            Utc::now(),
        )
        .await
        .expect("names");
    assert_eq!(app.get_as(&kari_c, &path).await.status(), 200);
    let html = app
        .get_as(&format!("{ola_c}; samlet_lang=da"), "/me/access-log")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("Hvem har set mine oplysninger"),
        "Danish page"
    );
    assert!(html.contains("Kari Nordmann"));
    assert!(html.contains("på vegne af Ola Nordmann"));
    assert!(html.contains("Handlede på dine vegne, inden for: ydelser og støtte"));
    assert!(html.contains("Fuldmagt"), "the role in Danish");
    assert!(!html.contains(kari.as_str()));
    // The JSON API returns the entries as logged (the person's right of access).
    let log = app.access_log(&ola_c).await;
    assert_eq!(log[0]["accessor"]["org"], kari.as_str());
    // Ola's list of mandates given names Kari too.
    let html = app
        .get_as(&ola_c, "/me/mandates")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Kari Nordmann"));
    assert!(!html.contains(kari.as_str()));
}

/// The acting-for address holds an opaque handle: no identity number in the
/// address bar, the handle works only for its viewer, and an old address
/// with a number redirects to the list without it. The page speaks Danish
/// (refusals too) when the person has chosen Danish.
#[tokio::test]
async fn acting_for_addresses_hold_no_identity_number_and_pages_speak_danish() {
    let app = TestApp::spawn().await;
    let (ola, kari, stranger) = (person(82), person(83), person(84));
    app.two_agencies_with_cases(&ola).await;
    let ola_c = app.login(&ola).await;
    let kari_c = app.login(&kari).await;
    let stranger_c = app.login(&stranger).await;
    let res = app.post_as(&ola_c,
        "/api/v1/me/mandates",
        &json!({"to_pid": kari.as_str(), "to_surname": app.surname(&kari).await, "scopes": ["benefits"], "actions": ["read"]}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let mandate = res.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let list = app
        .get_as(&kari_c, "/me/acting-for")
        .await
        .text()
        .await
        .expect("html");
    assert!(!list.contains(ola.as_str()), "no number on the list page");
    let link = app.first_acting_for_link(&kari_c).await;
    assert!(!link.contains(ola.as_str()) && !link.contains(&ola.as_str()[..6]));
    let res = app.get_as(&kari_c, &link).await;
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("Du handler nå på vegne av"));
    assert!(html.contains("Dagpenger") && !html.contains("Skattemelding"));

    // Another viewer cannot use Kari's handle; a made-up one is not found.
    assert_eq!(app.get_as(&stranger_c, &link).await.status(), 404);
    assert_eq!(
        app.get_as(&kari_c, "/me/acting-for/not-a-handle")
            .await
            .status(),
        404
    );
    // The old address with the number: to the list, without the number.
    let res = app
        .get_as(&kari_c, &format!("/me/acting-for/{}", ola.as_str()))
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/me/acting-for")
    );
    // One view logged (Kari's), the refused ones none.
    assert_eq!(app.access_log(&ola_c).await.len(), 1);

    // In Danish: the list, the banner and, after Ola revokes, the refusal.
    let kari_da = format!("{kari_c}; samlet_lang=da");
    let html = app
        .get_as(&kari_da, "/me/acting-for")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Handl på vegne af andre"), "Danish list");
    assert!(html.contains("Fuldmagt") && html.contains("ydelser og støtte"));
    let html = app
        .get_as(&kari_da, &link)
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("Du handler nu på vegne af"), "Danish banner");
    assert!(html.contains("Du ser kun det, fuldmagten dækker"));
    let res = app
        .delete_as(&ola_c, &format!("/api/v1/me/mandates/{mandate}"))
        .await;
    assert_eq!(res.status(), 204);
    let res = app.get_as(&kari_da, &link).await;
    assert_eq!(res.status(), 403);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("Fuldmagten er tilbagekaldt."),
        "Danish refusal"
    );
    assert!(html.contains("Noget gik galt"), "on a Danish error page");
    let html = app
        .get_as(&format!("{kari_c}; samlet_lang=en"), &link)
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("The power of attorney was revoked."));
    // The JSON API keeps its contract: the number in the path, English.
    let p = problem(
        app.get_as(
            &kari_c,
            &format!("/api/v1/represented/{}/overview", ola.as_str()),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(p["detail"], "The power of attorney was revoked.");
}

/// A person with several bases (a guardianship and a mandate of their own)
/// is one entry on the representative's list, with the bases, kinds, scopes
/// and actions taken together; paging and search count persons.
#[tokio::test]
async fn the_list_has_one_entry_per_person_with_every_basis() {
    let app = TestApp::spawn().await;
    let fm = app
        .agency_with("97477278", "Statsforvalteren", "samlet:guardianship")
        .await;
    let guardian = person(100);
    let wards: Vec<Pid> = (101..104).map(person).collect();
    for (w, n) in wards.iter().zip(["Berit", "Arne", "Cecilie"]) {
        let res = app
            .post_json(
                &fm,
                "/api/v1/guardianships",
                &json!({"guardian_pid": guardian.as_str(), "ward_pid": w.as_str(), "ward_name": n,
                        "scopes": ["health"], "actions": ["read"]}),
            )
            .await;
        assert_eq!(res.status(), 201);
    }
    // Arne also gives his guardian a mandate for tax, with acting.
    let arne = app.login(&wards[1]).await;
    for scopes in [json!(["tax"]), json!(["benefits"])] {
        let res = app.post_as(&arne,
            "/api/v1/me/mandates",
            &json!({"to_pid": guardian.as_str(), "to_surname": app.surname(&guardian).await, "scopes": scopes, "actions": ["act"]}),
        )
        .await;
        assert_eq!(res.status(), 201);
    }
    let g = app.login(&guardian).await;
    let get = |path: &'static str| {
        let (app, g) = (&app, &g);
        async move {
            let res = app.get_as(g, path).await;
            assert_eq!(res.status(), 200);
            res.json::<Value>().await.expect("json")
        }
    };
    let page1 = get("/api/v1/represented?per_page=2").await;
    let people = page1["people"].as_array().expect("people");
    let names: Vec<&str> = people.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, vec!["Arne", "Berit"], "one entry each, by name");
    assert_eq!(page1["next_page"], 2);
    let arne_row = &people[0];
    assert_eq!(arne_row["kinds"], json!(["mandate", "guardianship"]));
    assert_eq!(arne_row["scopes"], json!(["benefits", "health", "tax"]));
    assert_eq!(arne_row["actions"], json!(["read", "act"]));
    assert_eq!(arne_row["bases"].as_array().map(Vec::len), Some(3));
    assert!(arne_row.get("valid_to").is_none(), "runs until revoked");
    assert_eq!(people[1]["actions"], json!(["read"]));
    let page2 = get("/api/v1/represented?per_page=2&page=2").await;
    let names: Vec<&str> = page2["people"]
        .as_array()
        .expect("people")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, vec!["Cecilie"]);
    assert!(page2["next_page"].is_null());
    let found = get("/api/v1/represented?q=arn").await;
    assert_eq!(found["people"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        found["people"][0]["bases"].as_array().map(Vec::len),
        Some(3)
    );
    // The page lists Arne once too.
    let html = app
        .get_as(&g, "/me/acting-for")
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(html.matches("data-testid=\"person\"").count(), 3);
    assert!(
        html.contains("Fullmakt, Vergemål: stønader og ytelser, helse, skatt"),
        "{html}"
    );
    assert!(html.contains("(se og handle)"));
}
