//! `samlet agency areas` as an operator uses it: the real binary on a SQLite data dir.

use std::process::Output;

mod common;
use common::{samlet_in, text};

fn samlet(dir: &std::path::Path, args: &[&str]) -> Output {
    samlet_in(dir, args)
        .output()
        .unwrap_or_else(|e| panic!("running samlet: {e}"))
}

#[test]
fn an_operator_sets_lists_and_clears_an_agencys_areas() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    for (org, name) in [("889640782", "NAV"), ("974761076", "Skatteetaten")] {
        let o = samlet(d, &["agency", "add", "--org", org, "--name", name]);
        assert!(o.status.success(), "{}", text(&o));
    }

    let o = samlet(
        d,
        &[
            "agency",
            "areas",
            "--org",
            "889640782",
            "--set",
            "benefits,Work ,benefits",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(text(&o).trim(), "889640782  NAV  benefits, work");

    let o = samlet(d, &["agency", "areas"]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("889640782  NAV  benefits, work"), "{t}");
    assert!(
        t.contains("974761076  Skatteetaten  - (shown only under \"all\")"),
        "{t}"
    );

    let o = samlet(d, &["agency", "areas", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("json: {e}: {}", text(&o)));
    assert_eq!(v[0]["org"], "889640782");
    assert_eq!(v[0]["areas"], serde_json::json!(["benefits", "work"]));
    assert_eq!(v[1]["areas"], serde_json::json!([]));

    // Refused, and nothing changed: an unknown area, a bad or unregistered org, no areas.
    for (args, says) in [
        (
            vec!["--org", "889640782", "--set", "benefits,helth"],
            "\"helth\" is not an area",
        ),
        (
            vec!["--org", "889640781", "--set", "tax"],
            "--org 889640781",
        ),
        (
            vec!["--org", "958935420", "--set", "health"],
            "no agency with organisation number 958935420",
        ),
        (
            vec!["--org", "889640782", "--set", ""],
            "name at least one area",
        ),
        (vec!["--set", "tax"], "--org"),
    ] {
        let mut all = vec!["agency", "areas"];
        all.extend(args);
        let o = samlet(d, &all);
        assert!(!o.status.success(), "{all:?} succeeded");
        assert!(text(&o).contains(says), "{all:?}: {}", text(&o));
    }
    let o = samlet(d, &["agency", "areas", "--org", "889640782"]);
    assert_eq!(text(&o).trim(), "889640782  NAV  benefits, work");

    let o = samlet(d, &["agency", "areas", "--org", "889640782", "--clear"]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("889640782  NAV  -"), "{}", text(&o));
}

#[test]
fn an_operator_grants_and_revokes_scopes_and_each_act_is_logged() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path();
    let json = |o: &Output| -> serde_json::Value {
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("json: {e}: {}", text(o)))
    };

    // A new agency holds its own items, read and write, and a dev token carries only that.
    let o = samlet(
        d,
        &[
            "agency",
            "add",
            "--org",
            "974762501",
            "--name",
            "Statsforvalteren",
            "--dev-token",
            "--json",
            "--by",
            "Ola Operatør",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let v = json(&o);
    assert_eq!(
        v["scopes"],
        serde_json::json!(["samlet:write", "samlet:read"])
    );

    let o = samlet(
        d,
        &[
            "agency",
            "grant",
            "--org",
            "974762501",
            "--scopes",
            "samlet:guardianship",
            "--by",
            "Ola Operatør",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(
        t.contains("Granted samlet:guardianship to Statsforvalteren (974762501) by Ola Operatør")
            && t.contains("transparency log at index 1"),
        "{t}"
    );

    let o = samlet(d, &["agency", "list", "--json"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        json(&o)[0]["scopes"],
        serde_json::json!(["samlet:write", "samlet:read", "samlet:guardianship"])
    );
    let o = samlet(d, &["agency", "list"]);
    assert!(
        text(&o).contains("samlet:write samlet:read samlet:guardianship"),
        "{}",
        text(&o)
    );

    let o = samlet(
        d,
        &[
            "agency",
            "revoke",
            "--org",
            "974762501",
            "--scopes",
            "samlet:guardianship,samlet:write",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    let v = json(&o);
    assert_eq!(
        v["revoked"],
        serde_json::json!(["samlet:write", "samlet:guardianship"])
    );
    assert_eq!(v["scopes"], serde_json::json!(["samlet:read"]));
    assert_eq!(v["log_index"], 2);

    // Refused, and nothing written: an unknown scope, an unregistered agency, no scopes.
    for (args, says) in [
        (
            vec!["grant", "--org", "974762501", "--scopes", "samlet:root"],
            "unknown scope \"samlet:root\"",
        ),
        (
            vec!["grant", "--org", "958935420", "--scopes", "samlet:read"],
            "no agency with organisation number 958935420",
        ),
        (
            vec!["revoke", "--org", "974762501", "--scopes", ""],
            "name the scopes",
        ),
        (
            vec![
                "add",
                "--org",
                "958935420",
                "--name",
                "Oslo",
                "--scopes",
                "samlet:everything",
            ],
            "unknown scope",
        ),
    ] {
        let mut full = vec!["agency"];
        full.extend(args.iter().copied());
        let o = samlet(d, &full);
        assert!(!o.status.success(), "{args:?} must fail");
        assert!(text(&o).contains(says), "{args:?}: {}", text(&o));
    }
    let o = samlet(d, &["agency", "list", "--json"]);
    let v = json(&o);
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(1),
        "Oslo was not registered: {v}"
    );
    assert_eq!(v[0]["scopes"], serde_json::json!(["samlet:read"]));
}
