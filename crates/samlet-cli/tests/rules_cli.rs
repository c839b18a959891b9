//! `samlet rules …` as a policy analyst uses it: the real binary, the shipped child benefit.

use std::path::PathBuf;
use std::process::{Command, Output};

fn samlet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_samlet"))
        .args(args)
        // From another directory: the binary must not depend on the working directory.
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| panic!("running samlet: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn child_benefit() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../samlet-rules/rules/child-benefit"
    )
    .to_owned()
}

const KARI: &str = r#"{"id":"H-1","members":[
  {"id":"Kari","role":"parent","birth_date":"1984-04-12","annual_income":500000},
  {"id":"Emil","role":"child","birth_date":"2012-03-15"}]}"#;

#[test]
fn the_analyst_runs_the_shipped_test_cases() {
    let o = samlet(&["rules", "test", &child_benefit()]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(t.trim_end().ends_with("0 failed"), "{t}");
}

#[test]
fn a_wrong_expectation_fails_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cases = dir.path().join("wrong.yaml");
    std::fs::write(
        &cases,
        "tests:\n  - name: Kari with one child gets a fortune\n    period: 2024-09\n    household:\n      members:\n        - {id: Kari, role: parent, birth_date: 1984-04-12, annual_income: 500000}\n        - {id: Emil, role: child, birth_date: 2012-03-15, annual_income: 0}\n    expect:\n      child_benefit: 999999\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = samlet(&[
        "rules",
        "test",
        &child_benefit(),
        "--cases",
        cases.to_str().unwrap_or_default(),
    ]);
    let t = text(&o);
    assert_eq!(o.status.code(), Some(1), "{t}");
    assert!(t.contains("wrong.yaml:"), "{t}");
    assert!(t.contains("1 failed"), "{t}");
}

#[test]
fn a_broken_rule_file_is_reported_with_its_position() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for f in [
        "inputs.yaml",
        "parameters.yaml",
        "ruleset.yaml",
        "rules.yaml",
    ] {
        let src = PathBuf::from(child_benefit()).join(f);
        let mut s = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{e}"));
        if f == "rules.yaml" {
            s = s.replace(
                "formula: count(members where is_child)",
                "formula: count(members where is_kid)",
            );
        }
        std::fs::write(dir.path().join(f), s).unwrap_or_else(|e| panic!("{e}"));
    }
    let o = samlet(&["rules", "inputs", dir.path().to_str().unwrap_or_default()]);
    let t = text(&o);
    assert!(!o.status.success());
    assert!(t.contains("rules.yaml:") && t.contains("is_kid"), "{t}");
}

#[test]
fn explain_tells_kari_why_in_bokmal_and_english_and_json() {
    let nb = samlet(&["rules", "explain", "--json", KARI, "--period", "2024-09"]);
    let t = text(&nb);
    assert!(nb.status.success(), "{t}");
    assert!(t.contains("Barnetrygd"), "{t}");
    assert!(t.contains("barnetrygdloven"), "{t}");

    let en = samlet(&[
        "rules", "explain", "--json", KARI, "--period", "2024-09", "--lang", "en",
    ]);
    assert!(text(&en).contains("Child benefit"), "{}", text(&en));
    for (lang, want) in [("nn", "gjeld frå"), ("da", "Børnetilskud")] {
        let o = samlet(&[
            "rules", "explain", "--json", KARI, "--period", "2024-09", "--lang", lang,
        ]);
        assert!(text(&o).contains(want), "{lang}: {}", text(&o));
    }

    let js = samlet(&[
        "rules", "explain", "--json", KARI, "--period", "2024-09", "--format", "json",
    ]);
    let v: serde_json::Value =
        serde_json::from_slice(&js.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&js)));
    assert_eq!(v["ruleset"], "child-benefit");
    assert!(v["outputs"]["child_benefit"].is_string() || v["outputs"]["child_benefit"].is_number());
    assert!(v["trace"]["rules"].is_array() || v["trace"]["rules"].is_object());
}

#[test]
fn explain_rejects_an_unknown_input_clearly() {
    let o = samlet(&[
        "rules",
        "explain",
        "--json",
        r#"{"members":[{"id":"a","shoe_size":42}]}"#,
        "--period",
        "2024-09",
    ]);
    let t = text(&o);
    assert!(!o.status.success());
    assert!(t.contains("shoe_size"), "{t}");
}

#[test]
fn inputs_lists_every_item_and_its_source() {
    let o = samlet(&["rules", "inputs", &child_benefit()]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    assert!(
        t.contains("birth_date") && t.contains("Folkeregisteret"),
        "{t}"
    );
    let j = samlet(&["rules", "inputs", &child_benefit(), "--json"]);
    assert!(serde_json::from_slice::<serde_json::Value>(&j.stdout).is_ok());
}

#[test]
fn run_evaluates_a_population_like_explain_does() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pop = dir.path().join("persons.csv");
    let out = dir.path().join("out.csv");
    let f = std::fs::File::create(&pop).unwrap_or_else(|e| panic!("{e}"));
    let reference = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    samlet_rules::generate_population(f, 200, 7, reference).unwrap_or_else(|e| panic!("{e}"));
    let o = samlet(&[
        "rules",
        "run",
        "--rules",
        &child_benefit(),
        "--population",
        pop.to_str().unwrap_or_default(),
        "--period",
        "2025-01",
        "--output",
        out.to_str().unwrap_or_default(),
        "--json",
    ]);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    let stats: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {t}"));
    assert_eq!(stats["households"], 200);
    let csv = std::fs::read_to_string(&out).unwrap_or_default();
    assert_eq!(csv.lines().count(), 201, "{csv}");
    assert!(csv.starts_with("household_id,amount"));
}

#[test]
fn the_operator_reruns_offers_after_a_rule_change() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().to_string_lossy().to_string();
    let changed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../samlet-rules/examples/rule-change/child-benefit"
    );
    let args = [
        "offers",
        "rerun",
        "--data-dir",
        &data,
        "--ruleset",
        "child-benefit",
        "--period",
        "2027-01",
        "--rules",
        changed,
        "--json",
    ];
    let o = samlet(&args);
    let t = text(&o);
    assert!(o.status.success(), "{t}");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(v["ruleset"], "child-benefit", "{t}");
    assert_eq!(v["new_offers"], 0, "{t}");
    // The rule set in --rules must be the one named.
    let o = samlet(&[
        "offers",
        "rerun",
        "--data-dir",
        &data,
        "--ruleset",
        "funeral-grant",
        "--period",
        "2027-01",
        "--rules",
        changed,
    ]);
    assert!(!o.status.success());
    assert!(text(&o).contains("not `funeral-grant`"), "{}", text(&o));
}
