//! `samlet foresight …` as the strategy team uses it: the real binary on a
//! SQLite data dir, without a server.

use std::process::Output;

mod common;
use common::{samlet_in, text};

fn samlet(dir: &std::path::Path, args: &[&str]) -> Output {
    samlet_in(dir, args)
        .output()
        .unwrap_or_else(|e| panic!("running samlet: {e}"))
}

#[test]
fn the_team_creates_closes_and_reports_on_a_session() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let file = d.join("session.json");
    std::fs::write(
        &file,
        r#"{"title": "Helse 2030", "trends": [{"code": "1.1"}, {"code": "X1", "title": "Egen trend", "theme": "Eget tema"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = samlet(
        d,
        &[
            "foresight",
            "session",
            "create",
            "--file",
            file.to_str().unwrap_or_default(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let created: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    assert!(created["team_key"]
        .as_str()
        .is_some_and(|k| k.starts_with("fk_")));

    // Open and not revealed: the results are withheld, in the API's words.
    let o = samlet(d, &["foresight", "results", &id]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("The session is open: results are shown when it is closed"),
        "{}",
        text(&o)
    );

    let o = samlet(d, &["foresight", "session", "close", &id, "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains(r#""open":false"#), "{}", text(&o));

    let o = samlet(d, &["foresight", "results", &id, "--csv"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("X1"), "{}", text(&o));

    let html = d.join("report.html");
    let o = samlet(
        d,
        &[
            "foresight",
            "report",
            &id,
            "--out",
            html.to_str().unwrap_or_default(),
            "--lang",
            "en",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let page = std::fs::read_to_string(&html).unwrap_or_else(|e| panic!("{e}"));
    assert!(page.contains(r#"<html lang="en">"#) && page.contains("Helse 2030"));

    let pdf = d.join("report.pdf");
    let o = samlet(
        d,
        &[
            "foresight",
            "report",
            &id,
            "--out",
            pdf.to_str().unwrap_or_default(),
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{e}"));
    assert!(bytes.starts_with(b"%PDF-"));

    let o = samlet(d, &["foresight", "results", "no-such-session"]);
    assert!(!o.status.success());
    assert!(
        text(&o).contains("There is no evaluation session no-such-session."),
        "{}",
        text(&o)
    );
}

#[test]
fn a_wrong_session_file_names_the_field() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let file = d.join("session.json");
    std::fs::write(&file, r#"{"title": "T", "trends": [{"code": "9.9"}]}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let o = samlet(
        d,
        &[
            "foresight",
            "session",
            "create",
            "--file",
            file.to_str().unwrap_or_default(),
        ],
    );
    assert!(!o.status.success());
    assert!(
        text(&o).contains("/trends/0/title: trend \"9.9\" is not in the library"),
        "{}",
        text(&o)
    );
}
