//! Every page in every language: nothing falls back to another language,
//! nothing shows a message id, and `/lang/{code}` switches for good.

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::{json, Value};

use crate::helpers::{person, TestApp};

const LANGS: [&str; 4] = ["nb", "nn", "en", "da"];

/// A page's HTML, asked for with these headers.
async fn page(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> String {
    let mut req = app.http.get(app.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.expect("page").text().await.expect("html")
}

/// A person with something on every page: a case, an overdue deadline, a
/// benefit, an unread message and a life event with its checklist.
async fn seeded() -> (TestApp, String, Vec<String>) {
    let app = TestApp::spawn().await;
    let nav = app.agency("88964078", "NAV").await;
    let folkereg = app.agency("97476107", "Skatteetaten").await;
    app.grant(&folkereg, "samlet:population").await;
    let p = person(7);
    for (path, body) in [
        (
            "/api/v1/cases",
            json!({"pid": p.as_str(), "case_id": "C1", "title": "Søknad om dagpenger", "status": "in_progress", "opened": "2026-01-05"}),
        ),
        (
            "/api/v1/deadlines",
            json!({"pid": p.as_str(), "deadline_id": "D1", "title": "Send meldekort", "due": "2020-03-01"}),
        ),
        (
            "/api/v1/benefits",
            json!({"pid": p.as_str(), "benefit_id": "B1", "name": "Barnetrygd", "amount": "1766", "currency": "NOK"}),
        ),
        (
            "/api/v1/messages",
            json!({"pid": p.as_str(), "message_id": "M1", "subject": "Vedtak", "body": "Hei"}),
        ),
    ] {
        let r = app.post_json(&nav, path, &body).await;
        assert!(r.status().is_success(), "{path}: {}", r.status());
    }
    let event: Value = app
        .post_json(
            &folkereg,
            "/api/v1/events",
            &json!({"event_id": "move-1", "pid": p.as_str(), "kind": "move", "date": "2026-11-30"}),
        )
        .await
        .json()
        .await
        .expect("event answer");
    let journey = event["journeys"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!journey.is_empty(), "{event}");
    let cookie = app.login(&p).await;
    let org = nav.org.clone();
    let pages = vec![
        "/".to_owned(),
        "/login".to_owned(),
        "/me".to_owned(),
        format!("/me/messages/{org}/M1"),
        "/me/access-log".to_owned(),
        format!("/me/journeys/{journey}"),
        "/me/mandates".to_owned(),
        "/me/acting-for".to_owned(),
        "/me/consents".to_owned(),
        "/rules/child-benefit".to_owned(),
        "/f".to_owned(),
        "/no/such/page".to_owned(),
    ];
    (app, cookie, pages)
}

#[tokio::test]
async fn every_page_renders_in_every_language_without_a_missing_text() {
    let (app, cookie, pages) = seeded().await;
    for path in &pages {
        let mut bodies = Vec::new();
        for lang in LANGS {
            // The login page is for people not logged in (it sends the others on).
            let session = if path == "/login" {
                ""
            } else {
                cookie.as_str()
            };
            let res = app
                .http
                .get(app.url(path))
                .header(COOKIE, format!("{session}; samlet_lang={lang}"))
                .header("accept", "text/html")
                .send()
                .await
                .expect("page");
            let status = res.status().as_u16();
            let want = if path == "/no/such/page" { 404 } else { 200 };
            assert_eq!(status, want, "{lang} {path}");
            let html = res.text().await.expect("html");
            assert!(
                html.contains(&format!("<html lang=\"{lang}\"")),
                "{lang} {path}"
            );
            assert!(
                !html.contains('⟦'),
                "{lang} {path}: a message id on the page:\n{html}"
            );
            for id in ["unread_count", "deny-", "date-long", "month-"] {
                assert!(!html.contains(id), "{lang} {path}: {id} unrendered");
            }
            bodies.push(html);
        }
        // Bokmål and nynorsk are two written forms: each page differs.
        assert_ne!(bodies[0], bodies[1], "{path}: nynorsk is bokmål");
        assert_ne!(bodies[0], bodies[3], "{path}: Danish is bokmål");
    }
}

#[tokio::test]
async fn the_overview_speaks_nynorsk_with_plurals_and_norwegian_dates() {
    let (app, cookie, _) = seeded().await;
    let html = page(
        &app,
        "/me",
        &[
            ("cookie", cookie.as_str()),
            ("accept-language", "nn-NO,nb;q=0.8"),
        ],
    )
    .await;
    assert!(html.contains("<html lang=\"nn\""));
    assert!(html.contains("1 ulesen"), "singular, not «1 ulesne»");
    assert!(html.contains("1. mars 2020"));
    assert!(html.contains("1\u{a0}766,00\u{a0}kr"));
    let da = page(
        &app,
        "/me",
        &[("cookie", &format!("{cookie}; samlet_lang=da"))],
    )
    .await;
    assert!(
        da.contains("1 ulæst") && da.contains("1.766,00"),
        "Danish plural and number"
    );
}

#[tokio::test]
async fn lang_nn_sets_the_cookie_and_the_menu_offers_nynorsk() {
    let app = TestApp::spawn().await;
    let res = app
        .http
        .get(app.url("/lang/nn?next=/login"))
        .send()
        .await
        .expect("lang");
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers().get(LOCATION).and_then(|v| v.to_str().ok()),
        Some("/login")
    );
    let set = res
        .headers()
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(set.starts_with("samlet_lang=nn"), "{set}");
    let html = page(&app, "/login", &[("cookie", "samlet_lang=nn")]).await;
    assert!(html.contains("<html lang=\"nn\""));
    assert!(html.contains("hreflang=\"nn\"") && html.contains("Norsk nynorsk"));
    assert!(
        html.contains("aria-current=\"true\">Norsk nynorsk"),
        "nynorsk marked current"
    );
}

/// A Danish installation (`--country dk`) answers in Danish when the
/// browser names no language it has.
#[tokio::test]
async fn a_danish_installation_speaks_danish_by_default() {
    let app = TestApp::builder()
        .config(|c| c.country = samlet_domain::Country::Dk)
        .spawn()
        .await;
    let html = page(&app, "/login", &[("accept-language", "fr-FR")]).await;
    assert!(html.contains("<html lang=\"da\""), "{html}");
    let nb = page(&app, "/login", &[("accept-language", "nb-NO")]).await;
    assert!(
        nb.contains("<html lang=\"nb\""),
        "the browser's language still wins"
    );
}

#[tokio::test]
async fn a_journey_reads_in_the_page_language_all_four() {
    let (app, cookie, pages) = seeded().await;
    let path = pages
        .iter()
        .find(|p| p.starts_with("/me/journeys/"))
        .expect("journey page");
    for (lang, title, task) in [
        ("nb", "Flytte", "Adressen er oppdatert hos etatene"),
        ("nn", "Flytte", "Adressa er oppdatert hos etatane"),
        ("en", "Moving", "Your address is updated at the agencies"),
        ("da", "Flytning", "Adressen er opdateret hos myndighederne"),
    ] {
        let html = page(
            &app,
            path,
            &[("cookie", &format!("{cookie}; samlet_lang={lang}"))],
        )
        .await;
        assert!(html.contains(&format!(">{title}</h1>")), "{lang}:\n{html}");
        assert!(html.contains(task), "{lang}:\n{html}");
    }
    // The API keeps `title_nb` and `title_en`, and adds `title` in the request's language.
    let mine: Value = app
        .http
        .get(app.url("/api/v1/me/journeys"))
        .header(COOKIE, cookie.as_str())
        .header("accept-language", "da-DK, en;q=0.5")
        .send()
        .await
        .expect("journeys")
        .json()
        .await
        .expect("json");
    let j = &mine["journeys"][0];
    assert_eq!(
        (&j["title_nb"], &j["title_en"], &j["title"]),
        (&json!("Flytte"), &json!("Moving"), &json!("Flytning")),
        "{j}"
    );
    let task = &j["tasks"][0];
    assert_eq!(
        task["title"]["nn"], "Meld flytting til Folkeregisteret",
        "{task}"
    );
    assert_eq!(
        task["title"]["en"],
        "Report the move to the population register"
    );
}

#[tokio::test]
async fn an_offer_reads_in_every_language() {
    let app = TestApp::spawn().await;
    let folkereg = app.agency("97476107", "Skatteetaten").await;
    let ola = person(11);
    let r = app
        .post_json(
            &folkereg,
            "/api/v1/events",
            &json!({
                "event_id": "death-1", "pid": person(12).as_str(), "kind": "death", "date": "2026-10-03",
                "related": [{"pid": ola.as_str(), "relation": "spouse"}],
                "household": {"deceased_birth_date": "1961-05-20", "deceased_assets": 52000, "spouse_assets": 0}
            }),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let cookie = app.login(&ola).await;
    for (lang, title, how) in [
        (
            "nb",
            "gravferdsstønad",
            "Slik er resultatet kommet fram til",
        ),
        ("nn", "gravferdsstønad", "Slik er resultatet kome fram til"),
        ("en", "a funeral grant", "How the result was reached"),
        ("da", "begravelseshjælp", "Sådan er resultatet nået"),
    ] {
        let cookies = format!("{cookie}; samlet_lang={lang}");
        let html = page(&app, "/me", &[("cookie", &cookies)]).await;
        assert!(html.contains(&format!(" {title}: ")), "{lang}:\n{html}");
        assert!(html.contains(how), "{lang}:\n{html}");
        let mine: Value = app
            .http
            .get(app.url("/api/v1/me/journeys"))
            .header(COOKIE, cookies.as_str())
            .send()
            .await
            .expect("journeys")
            .json()
            .await
            .expect("json");
        let o = &mine["offers"][0];
        assert_eq!(o["title"], title, "{lang}: {o}");
        let explanation = o["explanation"].as_str().unwrap_or_default();
        assert!(explanation.contains(how), "{lang}: {explanation}");
        // The bokmål and English fields stay as they were.
        assert_eq!(
            (&o["title_nb"], &o["title_en"]),
            (&json!("gravferdsstønad"), &json!("a funeral grant"))
        );
        assert!(o["explanation_nb"]
            .as_str()
            .unwrap_or_default()
            .contains("Slik er resultatet kommet fram til"));
        assert!(o["explanation_en"]
            .as_str()
            .unwrap_or_default()
            .contains("How the result was reached"));
    }
}
