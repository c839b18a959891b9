//! `samlet basis` as an operator uses it: the real binary on a SQLite data
//! dir. NAV may read Skatteetaten's cases for sick pay; bad input is refused
//! with a clear message and writes nothing.

use std::process::Output;

mod common;
use common::{samlet_in, text};

fn samlet(dir: &std::path::Path, args: &[&str]) -> Output {
    samlet_in(dir, args)
        .env("SAMLET_OPERATOR", "digdir-kari")
        .output()
        .unwrap_or_else(|e| panic!("running samlet: {e}"))
}

fn list(d: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["basis", "list", "--json"];
    args.extend_from_slice(extra);
    let o = samlet(d, &args);
    assert!(o.status.success(), "{}", text(&o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("json: {e}: {}", text(&o)))
}

const ADD: [&str; 12] = [
    "basis",
    "add",
    "--reader",
    "889640782",
    "--holder",
    "974761076",
    "--category",
    "cases",
    "--purpose",
    "vurdere sykepenger",
    "--legal-basis",
    "folketrygdloven § 8-28",
];

#[test]
fn an_operator_adds_lists_and_revokes_a_sharing_basis() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    for (org, name) in [
        ("889640782", "NAV"),
        ("974761076", "Skatteetaten"),
        ("964338531", "Oslo kommune"),
    ] {
        let o = samlet(d, &["agency", "add", "--org", org, "--name", name]);
        assert!(o.status.success(), "{}", text(&o));
    }

    let mut args = ADD.to_vec();
    args.extend_from_slice(&[
        "--legal-ref",
        "https://lovdata.no/lov/1997-02-28-19/§8-28",
        "--to",
        "2099-12-31",
        "--json",
    ]);
    let o = samlet(d, &args);
    assert!(o.status.success(), "{}", text(&o));
    let b: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("json: {e}: {}", text(&o)));
    let id = b["id"].as_str().unwrap_or_default().to_owned();
    assert!(id.starts_with("sb_"), "{b}");
    assert_eq!(b["status"], "pending", "waits for Skatteetaten to accept");
    assert_eq!(
        b["created_by"], "digdir-kari",
        "--by defaults to $SAMLET_OPERATOR"
    );
    assert_eq!(b["legal_basis"], "folketrygdloven § 8-28");
    assert_eq!(b["valid_to"], "2099-12-31");

    assert_eq!(list(d, &[])[0]["id"], id.as_str());
    assert_eq!(list(d, &["--org", "974761076"])[0]["id"], id.as_str());
    assert_eq!(list(d, &["--org", "964338531"]), serde_json::json!([]));

    let o = samlet(d, &["basis", "list"]);
    assert!(
        text(&o).contains("reader 889640782 reads cases of holder 974761076"),
        "{}",
        text(&o)
    );

    let o = samlet(d, &["basis", "revoke", "--id", &id, "--by", "digdir-ola"]);
    assert!(o.status.success(), "{}", text(&o));
    let b = &list(d, &[])[0];
    assert_eq!(b["status"], "revoked");
    assert_eq!(b["revoked_by"], "digdir-ola");
    let o = samlet(d, &["basis", "revoke", "--id", &id]);
    assert!(!o.status.success());
    assert!(text(&o).contains("already revoked"), "{}", text(&o));
    let o = samlet(d, &["basis", "revoke", "--id", "sb_nothing"]);
    assert!(!o.status.success());
    assert!(text(&o).contains("no sharing basis"), "{}", text(&o));
}

#[test]
fn bad_input_is_refused_clearly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let o = samlet(d, &["agency", "add", "--org", "889640782", "--name", "NAV"]);
    assert!(o.status.success(), "{}", text(&o));
    let cases: [(&[&str], &str); 6] = [
        (&["--category", "diagnoses"], "not a category"),
        (&["--legal-basis", "fordi"], "law and the section"),
        (&["--from", "2026-02-30"], "YYYY-MM-DD"),
        (&["--to", "2001-01-01"], "--to"),
        (&["--legal-ref", "ftp://x"], "--legal-ref"),
        (&["--holder", "889640782"], "same agency"),
    ];
    for (extra, want) in cases {
        let mut args = ADD.to_vec();
        // clap refuses a flag given twice: replace it in place.
        for pair in extra.chunks(2) {
            if let Some(i) = args.iter().position(|a| *a == pair[0]) {
                args[i + 1] = pair[1];
            } else {
                args.extend_from_slice(pair);
            }
        }
        let o = samlet(d, &args);
        assert!(!o.status.success(), "{extra:?} accepted: {}", text(&o));
        assert!(text(&o).contains(want), "{extra:?}: {}", text(&o));
    }
    // Skatteetaten is not registered: refused, nothing written.
    let o = samlet(d, &ADD);
    assert!(!o.status.success());
    assert!(text(&o).contains("--holder"), "{}", text(&o));
    assert_eq!(list(d, &[]), serde_json::json!([]), "nothing was written");
}
