//! Foresight end to end through the real server on port 0: Siri from the
//! strategy team at Spekter creates a session, participants join from their
//! phones and vote, the presenter screen shows the counts, and after closing
//! the team reads results, CSV and the report.

use reqwest::StatusCode;
use samlet_app::foresight::{self as fs, SessionFile};
use serde_json::{json, Value};

use crate::helpers::{browser, cookie_pairs, csrf_after, csrf_in, TestApp};

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

async fn join(app: &TestApp, code: &str) -> String {
    let r = app
        .http
        .post(format!("{}/api/v1/foresight/join", app.base))
        .json(&json!({ "join_code": code.to_lowercase() }))
        .send()
        .await
        .expect("join");
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.expect("json");
    assert!(v["trends"].as_array().is_some_and(|t| !t.is_empty()));
    v["participant_token"].as_str().expect("token").to_owned()
}

async fn vote(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.http
        .post(format!("{}/api/v1/foresight/ballots", app.base))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("ballot")
}

/// The text shown by a PDF's uncompressed content streams: literal `(…)`
/// and hex `<…>` strings in WinAnsi (Latin-1 for the letters we use).
fn pdf_text(pdf: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < pdf.len() {
        match pdf[i] {
            b'(' => {
                let end = pdf[i..]
                    .iter()
                    .position(|&b| b == b')')
                    .map_or(pdf.len(), |e| i + e);
                out.extend(pdf[i + 1..end].iter().map(|&b| char::from(b)));
                out.push(' ');
                i = end + 1;
            }
            b'<' if pdf.get(i + 1).is_some_and(u8::is_ascii_hexdigit) => {
                let end = pdf[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(pdf.len(), |e| i + e);
                let hex = std::str::from_utf8(&pdf[i + 1..end]).unwrap_or("");
                for k in (0..hex.len().saturating_sub(1)).step_by(2) {
                    if let Ok(b) = u8::from_str_radix(&hex[k..k + 2], 16) {
                        out.push(char::from(b));
                    }
                }
                out.push(' ');
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// The results document without the counts the endpoint adds around it.
fn results_only(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        for k in ["results_visible", "open", "joined", "voted"] {
            o.remove(k);
        }
    }
    v
}

async fn a_gathering_from_join_to_report(app: &TestApp) {
    let s = app.foresight_session(study_session()).await;
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
    let r = app.http.get(&results_url).send().await.expect("results");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app
        .http
        .get(&results_url)
        .bearer_auth(&tokens[0])
        .send()
        .await
        .expect("results");
    assert!(r.status().is_client_error());

    let status: Value = app
        .http
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
        .http
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
        .http
        .post(format!("{}/api/v1/foresight/join", app.base))
        .json(&json!({"join_code": s.join_code}))
        .send()
        .await
        .expect("join");
    assert_eq!(r.status(), StatusCode::CONFLICT);

    let v: Value = app
        .http
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
    assert_eq!(roles.last(), Some(&json!({"status": "hidden"})));
    assert!(!v["segments"].to_string().contains("adviser"));

    // The CLI path reads the same numbers straight from the database.
    let loaded = fs::load(app.store.as_ref(), &s.id).await.expect("load");
    let direct = fs::compute_results(app.store.as_ref(), &loaded)
        .await
        .expect("compute");
    // Compare as the client sees both (serde_json's default float parsing is
    // not round-trip exact, so parse both from text).
    let direct: Value =
        serde_json::from_str(&serde_json::to_string(&direct).expect("json")).expect("json");
    assert_eq!(direct, results_only(&v));

    // Presenter link: the key sets a cookie scoped to the session and is dropped from the URL.
    let r = app
        .http
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
        .http
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
        .http
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
    // The PDF: produced in pure Rust, with the report's text and a vector matrix.
    let pdf = app
        .http
        .get(format!(
            "{}/foresight/sessions/{}/report.pdf",
            app.base, s.id
        ))
        .header("cookie", &pair)
        .send()
        .await
        .expect("pdf");
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(
        pdf.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/pdf")
    );
    let bytes = pdf.bytes().await.expect("bytes");
    let raw = String::from_utf8_lossy(&bytes);
    let text = pdf_text(&bytes);
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    for expected in [
        "Evaluering av trendene",
        "Metode",
        "Viktighet",
        "Beredskap",
        "X.1 Egen trend",
        "strategiske blindsonen når",
        "Økt etterspørsel",
    ] {
        assert!(text.contains(expected), "the PDF says {expected}: {text}");
    }
    assert!(
        bytes.windows(3).any(|w| w == b" c\n") && !raw.contains("/Image"),
        "the matrix is drawn with vector curves, not an image"
    );
    let en = app
        .http
        .get(format!(
            "{}/api/v1/foresight/sessions/{}/report.pdf",
            app.base, s.id
        ))
        .bearer_auth(&s.team_key)
        .header("accept-language", "en")
        .send()
        .await
        .expect("pdf");
    assert_eq!(en.status(), StatusCode::OK);
    let en = en.bytes().await.expect("bytes");
    assert!(pdf_text(&en).contains("Importance"));
    let no = app
        .http
        .get(format!(
            "{}/api/v1/foresight/sessions/{}/report.pdf",
            app.base, s.id
        ))
        .send()
        .await
        .expect("pdf");
    assert_eq!(no.status(), StatusCode::UNAUTHORIZED);
    let csv = app
        .http
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
        .http
        .get(format!("{}/foresight/sessions/{}/report", app.base, s.id))
        .send()
        .await
        .expect("report");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "no cookie, no report");
}

async fn a_phone_votes_with_the_plain_html_form(app: &TestApp) {
    let s = app.foresight_session(study_session()).await;
    let phone = browser();
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
    // The join page was fetched above (it set the form cookie); its token is in the form.
    let join_html = phone
        .get(format!("{}/f/{}", app.base, s.join_code))
        .send()
        .await
        .expect("join page")
        .text()
        .await
        .expect("html");
    let join_csrf = csrf_in(&join_html);
    let r = phone
        .post(format!("{}/f/{}/join", app.base, s.join_code))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .expect("join");
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "a forged form token");
    let r = reqwest::Client::new()
        .post(format!("{}/f/{}/join", app.base, s.join_code))
        .form(&[("csrf", join_csrf.as_str())])
        .send()
        .await
        .expect("join");
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "the token without the browser's cookie"
    );
    let r = phone
        .post(format!("{}/f/{}/join", app.base, s.join_code))
        .form(&[("csrf", join_csrf.as_str())])
        .send()
        .await
        .expect("join");
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "{:?}", r.text().await);
    let form = phone
        .get(format!("{}/f/{}/ballot", app.base, s.join_code))
        .send()
        .await
        .expect("ballot")
        .text()
        .await
        .expect("html");
    // The library's trends in the participant's language; the team's own as written.
    let form_in = |lang: &'static str| {
        phone
            .get(format!("{}/f/{}/ballot", app.base, s.join_code))
            .header("accept-language", lang)
            .send()
    };
    let nn = form_in("nn")
        .await
        .expect("ballot")
        .text()
        .await
        .expect("html");
    assert!(nn.contains("Auka etterspurnad") && nn.contains("Digitalgigantane kjem inn"));
    assert!(nn.contains("Egen trend") && !nn.contains("Økt etterspørsel"));
    let da = form_in("da")
        .await
        .expect("ballot")
        .text()
        .await
        .expect("html");
    assert!(da.contains("Øget efterspørgsel") && da.contains("Techgiganterne træder ind"));
    assert!(
        form.contains("Svært viktig") && form.contains("Svært lite beredt"),
        "the study's labels"
    );
    assert!(form.contains("<fieldset") && form.contains("<legend"));
    let csrf = csrf_in(&form);
    assert_ne!(csrf, join_csrf, "each form has its own token");
    // A ballot posted without the form's token is refused and not stored.
    let r = phone
        .post(format!("{}/f/{}/ballot", app.base, s.join_code))
        .form(&[
            ("imp_0", "6"),
            ("prep_0", "2"),
            ("imp_1", "5"),
            ("prep_1", "3"),
            ("imp_2", "4"),
            ("prep_2", "4"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.store
            .foresight_counts(&s.id)
            .await
            .expect("counts")
            .voted,
        0
    );
    // Missing ratings: the form comes back with errors next to the fields.
    let r = phone
        .post(format!("{}/f/{}/ballot", app.base, s.join_code))
        .form(&[("csrf", csrf.as_str()), ("imp_0", "6"), ("prep_0", "2")])
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
        ("csrf", csrf.as_str()),
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

async fn library_and_openapi(app: &TestApp) {
    let lib: Value = app
        .http
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
        .http
        .get(format!("{}/foresight/library", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Driving forces") && page.contains("Key figures"));
    // The shipped library in the reader's language: nynorsk and Danish
    // texts of their own, not the bokmål original.
    let library_page = |lang: &'static str| async move {
        app.http
            .get(format!("{}/foresight/library", app.base))
            .header("accept-language", lang)
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html")
    };
    let nn = library_page("nn-NO").await;
    assert!(nn.contains("Auka etterspurnad"), "a nynorsk trend title");
    assert!(nn.contains("men han kan ikkje takast for gitt"));
    assert!(
        !nn.contains("Økt etterspørsel"),
        "no bokmål title on the nynorsk page"
    );
    let da = library_page("da").await;
    assert!(da.contains("Øget efterspørgsel"), "a Danish trend title");
    assert!(da.contains("Nordmænd har stadig meget stor tillid"));
    assert!(!da.contains("Økt etterspørsel"));
    let nb = library_page("nb").await;
    assert!(nb.contains("Økt etterspørsel") && !nb.contains("Auka etterspurnad"));
    let doc: Value = app
        .http
        .get(format!("{}/api/openapi.json", app.base))
        .send()
        .await
        .expect("doc")
        .json()
        .await
        .expect("json");
    assert!(doc["paths"]["/api/v1/foresight/ballots"].is_object());
    // The library and the results are described, not loose objects.
    let ok_schema = |path: &str| {
        doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["$ref"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        ok_schema("/api/v1/foresight/library"),
        "#/components/schemas/ForesightLibrary"
    );
    assert_eq!(
        ok_schema("/api/v1/foresight/sessions/{id}/results"),
        "#/components/schemas/ResultsView"
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["ForesightLibrary"]["properties"]["trends"]["items"]["$ref"],
        "#/components/schemas/ForesightTrend"
    );
    let view = &schemas["ResultsView"]["properties"];
    assert_eq!(
        view["trends"]["items"]["$ref"],
        "#/components/schemas/ForesightTrendStats"
    );
    assert_eq!(
        view["segments"]["$ref"],
        "#/components/schemas/ForesightSegments"
    );
    assert!(schemas["ForesightSegment"]["oneOf"].is_array());
    let bad = SessionFile::parse(r#"{"title": "x", "trends": [{"code": "9.9"}]}"#).expect("parses");
    let e = fs::create_session(app.store.as_ref(), bad)
        .await
        .expect_err("unknown trend without title");
    assert!(e.to_string().contains("/trends/0/title"), "{e}");
}

async fn the_presenter_closes_with_a_csrf_token(app: &TestApp) {
    let s = app.foresight_session(study_session()).await;
    let r = app
        .http
        .get(format!(
            "{}/foresight/sessions/{}/present?key={}",
            app.base, s.id, s.team_key
        ))
        .send()
        .await
        .expect("present");
    let pair = cookie_pairs(&r).into_iter().next().unwrap_or_default();
    let page = app
        .http
        .get(format!("{}/foresight/sessions/{}/present", app.base, s.id))
        .header("cookie", &pair)
        .send()
        .await
        .expect("present")
        .text()
        .await
        .expect("html");
    let csrf = csrf_in(&page);
    let close = |token: &'static str| {
        app.http
            .post(format!("{}/foresight/sessions/{}/close", app.base, s.id))
            .header("cookie", &pair)
            .form(&[("csrf", token)])
            .send()
    };
    let r = close("forged").await.expect("close");
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a forged token cannot close"
    );
    let row = app
        .store
        .foresight_session(&s.id)
        .await
        .expect("row")
        .expect("session");
    assert!(row.is_open());
    let r = app
        .http
        .post(format!("{}/foresight/sessions/{}/close", app.base, s.id))
        .header("cookie", &pair)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("close");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let row = app
        .store
        .foresight_session(&s.id)
        .await
        .expect("row")
        .expect("session");
    assert!(!row.is_open());
}

/// The live tally after a restart equals a recompute, and so do replacements.
async fn live_results_survive_a_restart(first: &TestApp) {
    let s = first.foresight_session(study_session()).await;
    for i in 0..6 {
        let t = join(first, &s.join_code).await;
        let ratings = json!([{"trend": "1.1", "importance": 1 + i % 6, "preparedness": 6 - i % 6}]);
        assert_eq!(
            vote(first, &t, json!({"ratings": ratings})).await.status(),
            StatusCode::OK
        );
        if i == 0 {
            let again = json!([{"trend": "3.4", "importance": 6, "preparedness": 1}]);
            assert_eq!(
                vote(first, &t, json!({"ratings": again})).await.status(),
                StatusCode::OK
            );
        }
    }
    let r = first
        .http
        .post(format!(
            "{}/api/v1/foresight/sessions/{}/reveal",
            first.base, s.id
        ))
        .bearer_auth(&s.team_key)
        .send()
        .await
        .expect("reveal");
    assert_eq!(r.status(), StatusCode::OK);
    let results = |app: &TestApp| {
        app.http
            .get(format!(
                "{}/api/v1/foresight/sessions/{}/results",
                app.base, s.id
            ))
            .bearer_auth(&s.team_key)
            .send()
    };
    let live: Value = results(first).await.expect("r").json().await.expect("json");
    let loaded = fs::load(first.store.as_ref(), &s.id).await.expect("load");
    let direct = fs::compute_results(first.store.as_ref(), &loaded)
        .await
        .expect("recompute");
    assert_eq!(
        results_only(&live),
        serde_json::to_value(&direct).expect("json"),
        "live = recompute"
    );
    assert_eq!(live["ballots"], 6);
    // A second server on the same database rebuilds its tally from the store.
    let second = TestApp::builder()
        .database(first.db_url.clone())
        .spawn()
        .await;
    let rebuilt: Value = results(&second)
        .await
        .expect("r")
        .json()
        .await
        .expect("json");
    assert_eq!(rebuilt, live);
}

async fn the_team_edits_the_library(app: &TestApp) {
    let token = app
        .agency_with("98765432", "Spekter strategi", "samlet:foresight")
        .await
        .token;
    // Before any edit: a session rates the seeded 1.1; then it closes.
    let before = app
        .foresight_session(json!({"title": "Før endringen", "trends": [{"code": "1.1"}]}))
        .await;
    let t = join(app, &before.join_code).await;
    vote(
        app,
        &t,
        json!({"ratings": [{"trend": "1.1", "importance": 6, "preparedness": 2}]}),
    )
    .await;
    app.store
        .close_foresight_session(&before.id, chrono::Utc::now())
        .await
        .expect("close");

    let lib: Value = app
        .http
        .get(format!("{}/api/v1/foresight/library", app.base))
        .send()
        .await
        .expect("lib")
        .json()
        .await
        .expect("json");
    let mut trend = lib["trends"][0].clone();
    assert_eq!(trend["code"], "1.1");
    trend["title"]["nb"] = json!("Økt etterspørsel etter helse- og omsorgstjenester");
    let put = |path: String, body: Value, bearer: Option<String>| {
        let mut r = app.http.put(format!("{}{path}", app.base)).json(&body);
        if let Some(b) = bearer {
            r = r.bearer_auth(b);
        }
        r.send()
    };
    let r = put(
        "/api/v1/foresight/library/trends/1.1".into(),
        trend.clone(),
        None,
    )
    .await
    .expect("put");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the team only");
    let r = put(
        "/api/v1/foresight/library/trends/1.1".into(),
        trend.clone(),
        Some(s_team_key(&before)),
    )
    .await
    .expect("put");
    assert_eq!(
        r.status(),
        StatusCode::UNAUTHORIZED,
        "a session's team key is not an agency token"
    );
    let r = put(
        "/api/v1/foresight/library/trends/1.1".into(),
        trend.clone(),
        Some(token.clone()),
    )
    .await
    .expect("put");
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
    // The team's title as they wrote it, to a nynorsk reader too; the
    // description they left as shipped stays nynorsk.
    let nn = app
        .http
        .get(format!("{}/foresight/library", app.base))
        .header("accept-language", "nn")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(nn.contains("Økt etterspørsel etter helse- og omsorgstjenester"));
    assert!(nn.contains("Fleire eldre, ein ny sjukdomsmiks"));
    // A new theme and a trend in it, in both languages.
    let r = put(
        "/api/v1/foresight/library/themes/4".into(),
        json!({"code": "4", "title": {"nb": "Lokalt", "en": "Local"}}),
        Some(token.clone()),
    )
    .await
    .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let new_trend = json!({
        "code": "4.1", "theme": "4",
        "title": {"nb": "Flere eldre bor hjemme", "en": "More older people live at home"},
        "description": {"nb": "Kommunen planlegger for dette.", "en": "The municipality plans for it."},
        "key_figures": [], "sources": ["Kommunens planstrategi 2025"]
    });
    let r = put(
        "/api/v1/foresight/library/trends/4.1".into(),
        new_trend.clone(),
        Some(token.clone()),
    )
    .await
    .expect("put");
    assert_eq!(r.status(), StatusCode::OK, "{:?}", r.text().await);
    // Clear 4xx with pointers into the item.
    let mut blank = new_trend.clone();
    blank["title"]["en"] = json!(" ");
    let r = put(
        "/api/v1/foresight/library/trends/4.1".into(),
        blank,
        Some(token.clone()),
    )
    .await
    .expect("put");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let p: Value = r.json().await.expect("problem");
    assert_eq!(p["pointer"], "/title/en", "{p}");
    let r = put(
        "/api/v1/foresight/library/trends/4.2".into(),
        new_trend.clone(),
        Some(token.clone()),
    )
    .await
    .expect("put");
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "code differs from the address"
    );
    // Retire 1.2: it is no longer offered by code.
    let mut retired = lib["trends"][1].clone();
    retired["retired"] = json!(true);
    let r = put(
        "/api/v1/foresight/library/trends/1.2".into(),
        retired,
        Some(token.clone()),
    )
    .await
    .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let bad = SessionFile::parse(r#"{"title": "x", "trends": [{"code": "1.2"}]}"#).expect("parses");
    let e = fs::create_session(app.store.as_ref(), bad)
        .await
        .expect_err("retired");
    assert!(e.to_string().contains("retired"), "{e}");
    // A new session takes the edited and the added trend, in both languages.
    let after = app
        .foresight_session(
            json!({"title": "Etter endringen", "trends": [{"code": "1.1"}, {"code": "4.1"}]}),
        )
        .await;
    let row = fs::load(app.store.as_ref(), &after.id).await.expect("load");
    assert_eq!(
        row.spec.trends[0].title,
        "Økt etterspørsel etter helse- og omsorgstjenester"
    );
    assert_eq!(
        row.spec.trends[1].title_en.as_deref(),
        Some("More older people live at home")
    );
    // The closed session still says what its participants rated.
    let old = fs::load(app.store.as_ref(), &before.id)
        .await
        .expect("load");
    assert_eq!(old.spec.trends[0].title, "Økt etterspørsel");
    let r: Value = app
        .http
        .get(format!(
            "{}/api/v1/foresight/sessions/{}/results",
            app.base, before.id
        ))
        .bearer_auth(&before.team_key)
        .send()
        .await
        .expect("results")
        .json()
        .await
        .expect("json");
    assert_eq!(r["trends"][0]["title"], "Økt etterspørsel");
    // Reset restores the seeded default.
    let r = app
        .http
        .delete(format!("{}/api/v1/foresight/library/trends/1.1", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let lib: Value = app
        .http
        .get(format!("{}/api/v1/foresight/library", app.base))
        .send()
        .await
        .expect("lib")
        .json()
        .await
        .expect("json");
    assert_eq!(lib["trends"][0]["title"]["nb"], "Økt etterspørsel");
    assert_eq!(lib["trends"][1]["retired"], true);

    // The web pages: sign in with the token (CSRF on every form), edit, retire, create a session.
    let browser = browser();
    let page = browser
        .get(format!("{}/foresight/team", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let login_csrf = csrf_in(&page);
    let r = browser
        .post(format!("{}/foresight/team/login", app.base))
        .form(&[("token", token.as_str()), ("csrf", "forged")])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = browser
        .post(format!("{}/foresight/team/login", app.base))
        .form(&[("token", token.as_str()), ("csrf", login_csrf.as_str())])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(format!("{}/foresight/team", app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("Flere eldre bor hjemme") && page.contains("Pensjonert"),
        "the team sees added and retired items"
    );
    let csrf = csrf_in(&page);
    let edit = browser
        .get(format!("{}/foresight/team/driving-forces/P1", app.base))
        .send()
        .await
        .expect("edit")
        .text()
        .await
        .expect("html");
    assert!(edit.contains("Politisk polarisering"));
    let mut fields: Vec<(String, String)> = [
        "title_nb",
        "title_en",
        "description_nb",
        "description_en",
        "key_figures_nb",
        "key_figures_en",
        "sources",
    ]
    .iter()
    .map(|k| (k.to_string(), format!("{k} tekst")))
    .collect();
    fields.extend([
        ("csrf".to_string(), csrf.clone()),
        ("existing".to_string(), "1".to_string()),
        ("code".to_string(), "P1".to_string()),
        ("category".to_string(), "political".to_string()),
    ]);
    let without: Vec<_> = fields
        .iter()
        .filter(|(k, _)| k != "csrf")
        .cloned()
        .collect();
    let r = browser
        .post(format!("{}/foresight/team/driving-forces", app.base))
        .form(&without)
        .send()
        .await
        .expect("save");
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no CSRF token, no edit");
    let r = browser
        .post(format!("{}/foresight/team/driving-forces", app.base))
        .form(&fields)
        .send()
        .await
        .expect("save");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let lib = fs::effective_library(app.store.as_ref())
        .await
        .expect("lib");
    assert_eq!(
        lib.driving_force("P1").map(|f| f.title.en.as_str()),
        Some("title_en tekst")
    );
    let r = browser
        .post(format!("{}/foresight/team/trends/4.1/retire", app.base))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("retire");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let lib = fs::effective_library(app.store.as_ref())
        .await
        .expect("lib");
    assert_eq!(lib.trend("4.1").map(|t| t.retired), Some(true));
    let r = browser
        .post(format!("{}/foresight/team/sessions", app.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "Valgt av teamet"),
            ("trend", "1.1"),
            ("trend", "3.4"),
            ("importance", "4,5"),
            ("preparedness", "3.5"),
        ])
        .send()
        .await
        .expect("create");
    assert_eq!(r.status(), StatusCode::CREATED);
    let html = r.text().await.expect("html");
    assert!(
        html.contains("present?key=fk_"),
        "the presenter link is shown once"
    );
    let sessions = app.store.list_foresight_sessions().await.expect("list");
    let chosen = sessions
        .iter()
        .find(|s| s.title == "Valgt av teamet")
        .expect("created");
    let chosen = fs::load(app.store.as_ref(), &chosen.id)
        .await
        .expect("load");
    let codes: Vec<&str> = chosen.spec.trends.iter().map(|t| t.code.as_str()).collect();
    assert_eq!(codes, ["1.1", "3.4"]);
}

fn s_team_key(c: &fs::Created) -> String {
    c.team_key.clone()
}

#[tokio::test]
async fn foresight_end_to_end_on_sqlite() {
    let app = TestApp::spawn().await;
    a_gathering_from_join_to_report(&app).await;
    a_phone_votes_with_the_plain_html_form(&app).await;
    library_and_openapi(&app).await;
    the_presenter_closes_with_a_csrf_token(&app).await;
    the_team_edits_the_library(&app).await;
}

#[tokio::test]
async fn live_results_are_rebuilt_from_the_store_on_sqlite() {
    live_results_survive_a_restart(&TestApp::spawn().await).await;
}

#[tokio::test]
async fn foresight_end_to_end_on_postgres() {
    let Some(app) = TestApp::builder().postgres().try_spawn().await else {
        return;
    };
    a_gathering_from_join_to_report(&app).await;
    a_phone_votes_with_the_plain_html_form(&app).await;
    the_team_edits_the_library(&app).await;
    live_results_survive_a_restart(&app).await;
}

/// The team cookie the presenter link sets, as a `name=value` pair.
async fn team_cookie(app: &TestApp, s: &fs::Created) -> String {
    let r = app
        .http
        .get(format!(
            "{}/foresight/sessions/{}/present?key={}",
            app.base, s.id, s.team_key
        ))
        .send()
        .await
        .expect("present");
    cookie_pairs(&r).into_iter().next().unwrap_or_default()
}

/// `count` participants join and vote, with the given roles in turn.
async fn ballots(app: &TestApp, s: &fs::Created, roles: &[&str]) {
    for (i, role) in roles.iter().enumerate() {
        let t = join(app, &s.join_code).await;
        let r = vote(
            app,
            &t,
            json!({
                "participant": {"role": role},
                "ratings": [
                    {"trend": "1.1", "importance": 6, "preparedness": 1 + (i % 2)},
                    {"trend": "3.4", "importance": 4, "preparedness": 4},
                    {"trend": "X.1", "importance": 5, "preparedness": 3}
                ]
            }),
        )
        .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
}

async fn results_api(app: &TestApp, s: &fs::Created, bearer: &str) -> Value {
    let r = app
        .http
        .get(format!(
            "{}/api/v1/foresight/sessions/{}/results",
            app.base, s.id
        ))
        .bearer_auth(bearer)
        .send()
        .await
        .expect("results");
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.expect("json")
}

/// Siri's gathering is under way with six ballots. Neither her team key nor
/// an agency token with the foresight scope gets more than the counts, and
/// the report, PDF and downloads refuse (in the page's language), so nobody
/// can diff results between two ballots.
#[tokio::test]
async fn open_session_results_endpoint_returns_only_counts() {
    let app = TestApp::spawn().await;
    let s = app.foresight_session(study_session()).await;
    ballots(&app, &s, &["clinician"; 6]).await;
    let counts = json!({"results_visible": false, "open": true, "joined": 6, "voted": 6});
    assert_eq!(results_api(&app, &s, &s.team_key).await, counts);
    let agency = app
        .agency_with("98765432", "Spekter strategi", "samlet:foresight")
        .await
        .token;
    assert_eq!(results_api(&app, &s, &agency).await, counts);

    let pair = team_cookie(&app, &s).await;
    for path in [
        "report",
        "report.pdf",
        "results.json",
        "trends.csv",
        "themes.csv",
    ] {
        let r = app
            .http
            .get(format!("{}/foresight/sessions/{}/{path}", app.base, s.id))
            .header("cookie", &pair)
            .header("accept-language", "en")
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), StatusCode::CONFLICT, "{path}");
        let body = r.text().await.expect("body");
        assert!(
            !body.contains("importance_mean") && !body.contains("<svg"),
            "{path}: {body}"
        );
    }
    let nb = app
        .http
        .get(format!("{}/foresight/sessions/{}/report", app.base, s.id))
        .header("cookie", &pair)
        .header("accept-language", "nb")
        .send()
        .await
        .expect("report")
        .text()
        .await
        .expect("html");
    assert!(nb.contains("Evalueringen er åpen"), "{nb}");
    let pdf = app
        .http
        .get(format!(
            "{}/api/v1/foresight/sessions/{}/report.pdf",
            app.base, s.id
        ))
        .bearer_auth(&s.team_key)
        .send()
        .await
        .expect("pdf");
    assert_eq!(pdf.status(), StatusCode::CONFLICT);
    let p: Value = pdf.json().await.expect("problem");
    assert!(
        p["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("results-withheld")),
        "{p}"
    );
    // The presenter screen: counts and the reveal button, no matrix.
    let html = app
        .http
        .get(format!("{}/foresight/sessions/{}/present", app.base, s.id))
        .header("cookie", &pair)
        .header("accept-language", "en")
        .send()
        .await
        .expect("present")
        .text()
        .await
        .expect("html");
    assert!(!html.contains("Strategic blind spot") && !html.contains("<svg"));
    assert!(html.contains("Reveal the results now"));
    // The CLI's path over the store refuses too.
    let loaded = fs::load(app.store.as_ref(), &s.id).await.expect("load");
    let e = fs::compute_results(app.store.as_ref(), &loaded)
        .await
        .expect_err("withheld");
    assert!(matches!(e, fs::Error::Withheld), "{e:?}");
}

/// Thirteen ballots: six directors, five clinicians and two advisers. The
/// advisers are too few, and the clinicians would let them be worked out by
/// subtraction: both groups are one hidden entry, with neither means nor a
/// role name, in the API, on the presenter screen and in the report.
#[tokio::test]
async fn a_segment_under_five_hides_its_mean_and_label() {
    let app = TestApp::spawn().await;
    let s = app.foresight_session(study_session()).await;
    let mut roles = vec!["director"; 6];
    roles.extend(["clinician"; 5]);
    roles.extend(["adviser"; 2]);
    ballots(&app, &s, &roles).await;
    let r = app
        .http
        .post(format!(
            "{}/api/v1/foresight/sessions/{}/close",
            app.base, s.id
        ))
        .bearer_auth(&s.team_key)
        .send()
        .await
        .expect("close");
    assert_eq!(r.status(), StatusCode::OK);
    let v = results_api(&app, &s, &s.team_key).await;
    let by_role = v["segments"]["by_role"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(by_role.len(), 2, "{by_role:?}");
    assert_eq!(by_role[0]["key"], "director");
    assert_eq!(by_role[0]["ballots"], 6);
    assert_eq!(by_role[1], json!({"status": "hidden"}));
    let segments = v["segments"].to_string();
    assert!(!segments.contains("adviser") && !segments.contains("clinician"));

    let pair = team_cookie(&app, &s).await;
    for path in ["present", "report"] {
        let html = app
            .http
            .get(format!("{}/foresight/sessions/{}/{path}", app.base, s.id))
            .header("cookie", &pair)
            .header("accept-language", "en")
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("html");
        assert!(
            html.contains("Director") && html.contains("Other groups"),
            "{path}"
        );
        assert!(
            !html.contains("Adviser") && !html.contains("Clinician"),
            "{path}: {html}"
        );
    }
}

/// Four people have voted when the presenter wants to show the room the
/// results: the API and the presenter's button both refuse, and nothing is
/// recorded or shown.
#[tokio::test]
async fn reveal_is_refused_under_five_ballots() {
    let app = TestApp::spawn().await;
    let s = app.foresight_session(study_session()).await;
    ballots(&app, &s, &["clinician"; 4]).await;
    let r = app
        .http
        .post(format!(
            "{}/api/v1/foresight/sessions/{}/reveal",
            app.base, s.id
        ))
        .bearer_auth(&s.team_key)
        .send()
        .await
        .expect("reveal");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let p: Value = r.json().await.expect("problem");
    assert!(
        p["detail"]
            .as_str()
            .is_some_and(|d| d.contains("5 ballots")),
        "{p}"
    );

    let pair = team_cookie(&app, &s).await;
    let page = app
        .http
        .get(format!("{}/foresight/sessions/{}/present", app.base, s.id))
        .header("cookie", &pair)
        .send()
        .await
        .expect("present")
        .text()
        .await
        .expect("html");
    assert!(page.contains("disabled aria-describedby=\"fs-reveal-help\""));
    let reveal_csrf = csrf_after(&page, "/reveal\"");
    let r = app
        .http
        .post(format!("{}/foresight/sessions/{}/reveal", app.base, s.id))
        .header("cookie", &pair)
        .header("accept-language", "nb")
        .form(&[("csrf", reveal_csrf.as_str())])
        .send()
        .await
        .expect("reveal");
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.expect("html").contains("fra 5 svar"));
    let row = app
        .store
        .foresight_session(&s.id)
        .await
        .expect("row")
        .expect("session");
    assert!(row.revealed_at.is_none() && row.revealed_by.is_none());
    assert_eq!(
        results_api(&app, &s, &s.team_key).await["results_visible"],
        false
    );
}

/// With five ballots the presenter reveals the results from the screen: a
/// forged form is refused, the real one is recorded with who and when (shown
/// on the screen and in the status), the results stay visible as more ballots
/// arrive, and a later reveal by an agency keeps the first record.
#[tokio::test]
async fn reveal_is_logged_with_who_and_when() {
    let app = TestApp::spawn().await;
    let s = app.foresight_session(study_session()).await;
    ballots(&app, &s, &["clinician"; 5]).await;
    let pair = team_cookie(&app, &s).await;
    let page = app
        .http
        .get(format!("{}/foresight/sessions/{}/present", app.base, s.id))
        .header("cookie", &pair)
        .send()
        .await
        .expect("present")
        .text()
        .await
        .expect("html");
    let close_csrf = csrf_in(&page);
    let reveal_csrf = csrf_after(&page, "/reveal\"");
    assert_ne!(
        close_csrf, reveal_csrf,
        "one form's token does not work on another"
    );
    for forged in ["forged", close_csrf.as_str()] {
        let r = app
            .http
            .post(format!("{}/foresight/sessions/{}/reveal", app.base, s.id))
            .header("cookie", &pair)
            .form(&[("csrf", forged)])
            .send()
            .await
            .expect("reveal");
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(
        results_api(&app, &s, &s.team_key).await["results_visible"],
        false
    );
    let before = chrono::Utc::now();
    let r = app
        .http
        .post(format!("{}/foresight/sessions/{}/reveal", app.base, s.id))
        .header("cookie", &pair)
        .form(&[("csrf", reveal_csrf.as_str())])
        .send()
        .await
        .expect("reveal");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let row = app
        .store
        .foresight_session(&s.id)
        .await
        .expect("row")
        .expect("session");
    assert!(row.is_open());
    assert_eq!(row.revealed_by.as_deref(), Some("team key"));
    let at = row.revealed_at.expect("revealed_at");
    assert!(at >= before - chrono::Duration::seconds(1) && at <= chrono::Utc::now());

    let status: Value = app
        .http
        .get(format!("{}/api/v1/foresight/sessions/{}", app.base, s.id))
        .bearer_auth(&s.team_key)
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("json");
    assert_eq!(status["revealed_by"], "team key");
    assert_eq!(status["results_visible"], true);
    assert!(status["revealed_at"].is_string());
    let html = app
        .http
        .get(format!("{}/foresight/sessions/{}/present", app.base, s.id))
        .header("cookie", &pair)
        .header("accept-language", "en")
        .send()
        .await
        .expect("present")
        .text()
        .await
        .expect("html");
    assert!(html.contains("The results were revealed while the evaluation was open"));
    assert!(
        html.contains("with the strategy team&#x27;s key")
            || html.contains("with the strategy team's key"),
        "{html}"
    );
    assert!(html.contains("Strategic blind spot"));
    assert_eq!(results_api(&app, &s, &s.team_key).await["ballots"], 5);

    // Once revealed, results stay visible while more ballots arrive.
    ballots(&app, &s, &["director"]).await;
    let v = results_api(&app, &s, &s.team_key).await;
    assert_eq!(
        (v["results_visible"].as_bool(), v["ballots"].as_u64()),
        (Some(true), Some(6))
    );

    // An agency revealing again changes nothing in the record.
    let agency = app
        .agency_with("98765432", "Spekter strategi", "samlet:foresight")
        .await
        .token;
    let r = app
        .http
        .post(format!(
            "{}/api/v1/foresight/sessions/{}/reveal",
            app.base, s.id
        ))
        .bearer_auth(&agency)
        .send()
        .await
        .expect("reveal");
    assert_eq!(r.status(), StatusCode::OK);
    let again: Value = r.json().await.expect("json");
    assert_eq!(again["revealed_by"], "team key");
    assert_eq!(again["revealed_at"], status["revealed_at"]);

    // Another session revealed through the API by the agency names it.
    let other = app.foresight_session(study_session()).await;
    ballots(&app, &other, &["clinician"; 5]).await;
    let r: Value = app
        .http
        .post(format!(
            "{}/api/v1/foresight/sessions/{}/reveal",
            app.base, other.id
        ))
        .bearer_auth(&agency)
        .send()
        .await
        .expect("reveal")
        .json()
        .await
        .expect("json");
    let org = samlet_domain::OrgNumber::with_check_digit("98765432").expect("org");
    assert_eq!(r["revealed_by"], format!("agency {}", org.as_str()));
}

/// Prometheus is scraped every few seconds; a ballot counter there would show
/// when each ballot arrived. Joins are counted, ballots are not.
#[tokio::test]
async fn metrics_carry_no_ballot_counts() {
    let app = TestApp::builder().metrics().spawn().await;
    let s = app.foresight_session(study_session()).await;
    ballots(&app, &s, &["clinician"; 3]).await;
    let r = app
        .http
        .get(format!(
            "{}/metrics",
            app.metrics_base.as_deref().expect("metrics")
        ))
        .send()
        .await
        .expect("metrics");
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.expect("text");
    assert!(text.contains("samlet_foresight_joins_total"), "{text}");
    assert!(!text.to_lowercase().contains("ballot"), "{text}");
}
