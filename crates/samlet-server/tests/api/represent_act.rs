//! Acting for someone (the `act` action) over HTTP: opening a
//! message and answering consent requests for the represented person,
//! within scope, refused with the policy's reason otherwise, and logged in
//! the person's access log as done on their behalf.

use chrono::{Duration, Utc};
use reqwest::header::LOCATION;
use samlet_domain::Pid;
use serde_json::{json, Value};

use crate::helpers::{csrf_in, minor, person, problem, Agency, TestApp};

async fn message(app: &TestApp, a: &Agency, pid: &Pid, id: &str, subject: &str) {
    let res = app
        .post_json(
            a,
            "/api/v1/messages",
            &json!({"pid": pid.as_str(), "message_id": id, "subject": subject, "body": "Brødtekst"}),
        )
        .await;
    assert!(res.status().is_success(), "message: {}", res.status());
}

async fn mandate(app: &TestApp, giver: &str, to: &Pid, scopes: Value, actions: Value) -> String {
    let res = app.post_as(giver,
        "/api/v1/me/mandates",
        &json!({"to_pid": to.as_str(), "to_surname": app.surname(to).await, "scopes": scopes, "actions": actions}),
    )
    .await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

/// Oslo kommune asks for `pid`'s consent to receive `from`'s data; its id.
async fn consent_request(app: &TestApp, oslo: &Agency, pid: &Pid, from: &Agency) -> String {
    let valid_to = (Utc::now() + Duration::days(90)).date_naive().to_string();
    let res = app
        .post_json(
            oslo,
            "/api/v1/consent-requests",
            &json!({"pid": pid.as_str(), "from_org": from.org, "categories": ["cases"],
                    "purpose": "Én plan", "valid_to": valid_to}),
        )
        .await;
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.expect("json")["id"]
        .as_str()
        .expect("id")
        .to_owned()
}

fn code(p: &Value) -> &str {
    p["type"]
        .as_str()
        .unwrap_or("")
        .rsplit('/')
        .next()
        .unwrap_or("")
}

#[tokio::test]
async fn kari_opens_olas_benefits_message_for_him_and_nothing_outside_her_mandate() {
    let app = TestApp::spawn().await;
    let (ola, kari, stranger) = (person(110), person(111), person(112));
    let (nav, skatt) = app.two_agencies_with_cases(&ola).await;
    message(&app, &nav, &ola, "M-1", "Vi trenger mer informasjon").await;
    message(&app, &skatt, &ola, "S-1", "Skattemeldingen er klar").await;
    let ola_c = app.login(&ola).await;
    let kari_c = app.login(&kari).await;
    let stranger_c = app.login(&stranger).await;
    let read_nav = format!(
        "/api/v1/represented/{}/messages/{}/M-1/read",
        ola.as_str(),
        nav.org
    );

    // A read-only mandate: refused with the reason, nothing logged or marked.
    let read_only = mandate(&app, &ola_c, &kari, json!(["benefits"]), json!(["read"])).await;
    let p = problem(app.post_as(&kari_c, &read_nav, &json!({})).await, 403).await;
    assert_eq!(code(&p), "action-not-granted", "{p}");
    assert_eq!(
        p["detail"],
        "The power of attorney does not allow this action."
    );
    let p = problem(app.post_as(&stranger_c, &read_nav, &json!({})).await, 403).await;
    assert_eq!(code(&p), "no-basis");
    assert!(app.access_log(&ola_c).await.is_empty());

    // With act for benefits: NAV's message opens (and is read for Ola) …
    app.delete_as(&ola_c, &format!("/api/v1/me/mandates/{read_only}"))
        .await;
    mandate(&app, &ola_c, &kari, json!(["benefits"]), json!(["act"])).await;
    // JSON endpoints with a cookie need a JSON body.
    let res = app
        .http
        .post(app.url(&read_nav))
        .header(reqwest::header::COOKIE, &kari_c)
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 415);
    let res = app.post_as(&kari_c, &read_nav, &json!({})).await;
    assert_eq!(res.status(), 200);
    let m: Value = res.json().await.expect("json");
    assert_eq!(m["subject"], "Vi trenger mer informasjon");
    assert_eq!(m["body"], "Brødtekst");
    assert_eq!(m["read"], true);
    let mine = app.overview(&ola_c).await;
    let nav_msg = mine["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|x| x["message_id"] == "M-1")
        .cloned()
        .expect("M-1");
    assert_eq!(nav_msg["read"], true, "read for Ola, as if he opened it");

    // … Skatteetaten's (tax) does not: outside the mandate.
    let p = problem(
        app.post_as(
            &kari_c,
            &format!(
                "/api/v1/represented/{}/messages/{}/S-1/read",
                ola.as_str(),
                skatt.org
            ),
            &json!({}),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(code(&p), "out-of-scope", "{p}");
    // A bad organisation number: 422 with a pointer.
    let p = problem(
        app.post_as(
            &kari_c,
            &format!("/api/v1/represented/{}/messages/123/S-1/read", ola.as_str()),
            &json!({}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["pointer"], "/path/org");

    // Exactly one entry: the opening, on Ola's behalf.
    let log = app.access_log(&ola_c).await;
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["accessor"]["org"], kari.as_str());
    assert_eq!(log[0]["categories"], json!(["messages"]));
    assert_eq!(log[0]["purpose"], "Acting for the person: opened a message");
    assert!(log[0]["on_behalf_of"].is_string());
}

#[tokio::test]
async fn a_representative_answers_consent_requests_within_scope_and_the_person_sees_it() {
    let app = TestApp::spawn().await;
    let (ola, kari) = (person(113), person(114));
    let (nav, skatt) = app.two_agencies_with_cases(&ola).await;
    let oslo = app
        .agency_with("95893542", "Oslo kommune", "samlet:share")
        .await;
    let for_nav = consent_request(&app, &oslo, &ola, &nav).await;
    let for_nav_2 = consent_request(&app, &oslo, &ola, &nav).await;
    let for_tax = consent_request(&app, &oslo, &ola, &skatt).await;
    let ola_c = app.login(&ola).await;
    let kari_c = app.login(&kari).await;
    mandate(
        &app,
        &ola_c,
        &kari,
        json!(["benefits"]),
        json!(["read", "act"]),
    )
    .await;
    let base = format!("/api/v1/represented/{}/consent-requests", ola.as_str());

    // She sees the requests about NAV's data (benefits), not Skatteetaten's.
    let res = app.get_as(&kari_c, &base).await;
    assert_eq!(res.status(), 200);
    let list: Value = res.json().await.expect("json");
    let ids: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&for_nav.as_str()) && !ids.contains(&for_tax.as_str()));

    let res = app
        .post_as(&kari_c, &format!("{base}/{for_nav}/approve"), &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.expect("json")["state"],
        "approved"
    );
    let res = app
        .post_as(&kari_c, &format!("{base}/{for_nav_2}/decline"), &json!({}))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.expect("json")["state"],
        "declined"
    );
    // Once only; outside scope refused; unknown id not found.
    problem(
        app.post_as(&kari_c, &format!("{base}/{for_nav}/decline"), &json!({}))
            .await,
        409,
    )
    .await;
    let p = problem(
        app.post_as(&kari_c, &format!("{base}/{for_tax}/approve"), &json!({}))
            .await,
        403,
    )
    .await;
    assert_eq!(code(&p), "out-of-scope");
    problem(
        app.post_as(&kari_c, &format!("{base}/c_nope/approve"), &json!({}))
            .await,
        404,
    )
    .await;

    // Ola sees the answers as his, and who gave them, in his access log.
    let mine: Value = app
        .get_as(&ola_c, "/api/v1/me/consent-requests")
        .await
        .json()
        .await
        .expect("json");
    let state_of = |id: &str| {
        mine.as_array()
            .expect("list")
            .iter()
            .find(|c| c["id"] == id)
            .map(|c| c["state"].clone())
    };
    assert_eq!(state_of(&for_nav), Some(json!("approved")));
    assert_eq!(state_of(&for_nav_2), Some(json!("declined")));
    assert_eq!(state_of(&for_tax), Some(json!("pending")));
    let log = app.access_log(&ola_c).await;
    let purposes: Vec<&str> = log.iter().filter_map(|e| e["purpose"].as_str()).collect();
    assert_eq!(
        purposes.len(),
        3,
        "one list read, two answers: {purposes:?}"
    );
    assert!(purposes.contains(&"Acting for the person: approved a consent request"));
    assert!(purposes.contains(&"Acting for the person: declined a consent request"));
    // The approved consent works for Oslo like one Ola gave himself.
    let res = app
        .http
        .get(app.url(&format!("/api/v1/share/{}/cases", ola.as_str())))
        .bearer_auth(&oslo.token)
        .header("Samlet-Purpose", "Én plan")
        .header("Samlet-Legal-Basis", "Samtykke")
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 200);
}

/// Parents and guardians act within their scope like holders of a mandate.
#[tokio::test]
async fn parents_and_guardians_act_within_their_scope() {
    let app = TestApp::spawn().await;
    let folk = app
        .agency_with("97476107", "Folkeregisteret", "samlet:population")
        .await;
    let fm = app
        .agency_with("97477278", "Statsforvalteren", "samlet:guardianship")
        .await;
    let nav = app.agency("88964078", "NAV").await;
    let (parent, guardian, ward) = (person(115), person(116), person(117));
    let child = minor(12, 5);
    message(&app, &nav, &child, "C-1", "Til foreldre").await;
    message(&app, &nav, &ward, "W-1", "Til verge").await;
    let res = app
        .post_json(
            &folk,
            "/api/v1/population/parental",
            &json!({"parent_pid": parent.as_str(), "child_pid": child.as_str()}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let res = app
        .post_json(&fm, "/api/v1/guardianships",
            &json!({"guardian_pid": guardian.as_str(), "ward_pid": ward.as_str(), "scopes": ["health"]}))
        .await;
    assert_eq!(res.status(), 201);
    let parent_c = app.login(&parent).await;
    let res = app
        .post_as(
            &parent_c,
            &format!(
                "/api/v1/represented/{}/messages/{}/C-1/read",
                child.as_str(),
                nav.org
            ),
            &json!({}),
        )
        .await;
    assert_eq!(
        res.status(),
        200,
        "parental authority covers all and acting"
    );
    // The guardianship covers health; NAV has no areas: outside it.
    let guardian_c = app.login(&guardian).await;
    let p = problem(
        app.post_as(
            &guardian_c,
            &format!(
                "/api/v1/represented/{}/messages/{}/W-1/read",
                ward.as_str(),
                nav.org
            ),
            &json!({}),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(code(&p), "out-of-scope");
    app.store
        .set_agency_areas(&nav.org, &["health".into()])
        .await
        .expect("areas");
    let res = app
        .post_as(
            &guardian_c,
            &format!(
                "/api/v1/represented/{}/messages/{}/W-1/read",
                ward.as_str(),
                nav.org
            ),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

/// The acting-for page offers the actions as forms (no JavaScript): opening
/// a message shows it; answering a request redirects back with a message.
#[tokio::test]
async fn the_acting_for_page_acts_with_forms_and_csrf() {
    let app = TestApp::spawn().await;
    let (ola, kari) = (person(118), person(119));
    let (nav, _skatt) = app.two_agencies_with_cases(&ola).await;
    message(&app, &nav, &ola, "M <1>", "Innkalling til møte").await;
    let oslo = app
        .agency_with("95893542", "Oslo kommune", "samlet:share")
        .await;
    let req = consent_request(&app, &oslo, &ola, &nav).await;
    let ola_c = app.login(&ola).await;
    let kari_c = app.login(&kari).await;
    let read_only = mandate(&app, &ola_c, &kari, json!(["benefits"]), json!(["read"])).await;

    let link = app.first_acting_for_link(&kari_c).await;
    let html = app.get_as(&kari_c, &link).await.text().await.expect("html");
    assert!(html.contains("Du kan se, men ikke handle, for denne personen."));
    assert!(!html.contains("/open\""), "no open buttons without act");
    assert!(!html.contains("data-testid=\"act-request\""));

    app.delete_as(&ola_c, &format!("/api/v1/me/mandates/{read_only}"))
        .await;
    mandate(&app, &ola_c, &kari, json!(["benefits"]), json!(["act"])).await;
    let html = app.get_as(&kari_c, &link).await.text().await.expect("html");
    let csrf = csrf_in(&html);
    let open = format!("{link}/messages/{}/M%20%3C1%3E/open", nav.org);
    assert!(html.contains(&format!("action=\"{open}\"")), "{html}");
    assert!(html.contains("data-testid=\"act-request\""));
    assert!(html.contains("Oslo kommune</strong> ber om å få saker"));

    // Without the CSRF token: refused, nothing logged.
    let before = app.access_log(&ola_c).await.len();
    let res = app
        .http
        .post(app.url(&open))
        .header(reqwest::header::COOKIE, &kari_c)
        .form(&[("csrf", "nope")])
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 403);
    assert_eq!(app.access_log(&ola_c).await.len(), before);
    let res = app
        .http
        .post(app.url(&open))
        .header(reqwest::header::COOKIE, &kari_c)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 200);
    let html = res.text().await.expect("html");
    assert!(html.contains("Innkalling til møte") && html.contains("Brødtekst"));
    assert!(html.contains("Du handler nå på vegne av"));

    let res = app
        .http
        .post(app.url(&format!("{link}/consents/{req}/approve")))
        .header(reqwest::header::COOKIE, format!("{kari_c}; samlet_lang=da"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 303);
    let to = res
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(to, format!("{link}?flash=approved"));
    let html = app
        .get_as(&format!("{kari_c}; samlet_lang=da"), &to)
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("Du har svaret ja på personens vegne."),
        "Danish flash"
    );
    assert!(!html.contains("data-testid=\"act-request\""), "answered");
    // A refusal on a form is a page in the person's language.
    let res = app
        .http
        .post(app.url(&format!("{link}/consents/{req}/decline")))
        .header(reqwest::header::COOKIE, format!("{kari_c}; samlet_lang=da"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("req");
    assert_eq!(res.status(), 409);
}
