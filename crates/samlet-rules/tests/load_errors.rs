//! Load-time rejection with precise positions: YAML structure, expression syntax, unknown names,
//! types and cycles.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report
use std::path::PathBuf;

use samlet_rules::{load_rule_set_from_files, ErrorKind, LoadError};

const HEADER: &str = "\
sources:
  Folkeregisteret: { authoritative: true }
inputs:
  birth_date: { entity: person, type: date, source: Folkeregisteret }
  role: { entity: person, type: text, source: Folkeregisteret }
parameters:
  rate:
    type: money
    reference: test § 1
    values: { 2000-01-01: 100 }
";

fn load(rules: &str) -> Result<samlet_rules::RuleSet, LoadError> {
    load_rule_set_from_files(
        "mem",
        &[
            (PathBuf::from("mem/a.yaml"), HEADER.to_string()),
            (PathBuf::from("mem/rules.yaml"), rules.to_string()),
        ],
    )
}

fn err(rules: &str) -> LoadError {
    match load(rules) {
        Ok(_) => panic!("expected a load error for:\n{rules}"),
        Err(e) => e,
    }
}

fn assert_at(e: &LoadError, kind: ErrorKind, line: usize, col: usize, needle: &str) {
    let (file, l, c) = e.position().unwrap_or_else(|| panic!("no position in {e}"));
    assert_eq!(file, std::path::Path::new("mem/rules.yaml"), "{e}");
    assert_eq!(e.kind(), Some(kind), "{e}");
    assert_eq!((l, c), (line, col), "{e}");
    assert!(e.to_string().contains(needle), "`{needle}` not in: {e}");
}

#[test]
fn valid_rules_load() {
    let rs = load(
        "rules:\n  n:\n    reference: x\n    formula: count(members where role = \"child\") * rate\n",
    )
    .unwrap();
    assert_eq!(rs.rule_names(), vec!["n"]);
}

#[test]
fn expression_syntax_error_points_into_the_formula() {
    // `*` at column 19 of line 4: "    formula: 1 + * rate"
    let e = err("rules:\n  n:\n    reference: x\n    formula: 1 + * rate\n");
    assert_at(&e, ErrorKind::Expression, 4, 18, "expected a value");
}

#[test]
fn expression_error_in_quoted_formula() {
    let e = err("rules:\n  n:\n    reference: x\n    formula: \"rate + (1\"\n");
    // end of expression is after `1`: the quote is at col 14, `1` at col 23
    assert_at(&e, ErrorKind::Expression, 4, 24, "`)`");
}

#[test]
fn expression_error_in_block_formula_maps_line_and_column() {
    let rules = "rules:\n  n:\n    reference: x\n    formula: |\n      if rate > 1\n      then rate\n      els 0\n";
    let e = err(rules);
    // `els` on line 7, column 7
    assert_at(&e, ErrorKind::Expression, 7, 7, "`else`");
}

#[test]
fn unknown_name_is_rejected_at_load() {
    let e = err("rules:\n  n:\n    reference: x\n    formula: rate * number_of_kids\n");
    assert_at(&e, ErrorKind::UnknownName, 4, 21, "number_of_kids");
}

#[test]
fn unknown_table_and_function() {
    let e = err("rules:\n  n:\n    reference: x\n    formula: lookup(nope, 1)\n");
    assert_at(&e, ErrorKind::UnknownName, 4, 21, "nope");
    let e = err("rules:\n  n:\n    reference: x\n    formula: sqrt(rate)\n");
    assert_at(&e, ErrorKind::UnknownName, 4, 14, "sqrt");
}

#[test]
fn cycles_are_rejected() {
    let rules = "rules:\n  a:\n    reference: x\n    formula: b + 1\n  b:\n    reference: x\n    formula: c + 1\n  c:\n    reference: x\n    formula: a + 1\n";
    let e = err(rules);
    assert_eq!(e.kind(), Some(ErrorKind::Cycle));
    assert!(e.to_string().contains("a → b → c → a"), "{e}");
    let e = err("rules:\n  a:\n    reference: x\n    formula: a + 1\n");
    assert_at(&e, ErrorKind::Cycle, 2, 3, "a → a");
}

#[test]
fn type_errors() {
    let e = err("rules:\n  n:\n    reference: x\n    formula: rate + (1 > 2)\n");
    assert_at(&e, ErrorKind::Type, 4, 22, "arithmetic needs numbers");
    let e = err("rules:\n  n:\n    reference: x\n    condition: rate + 1\n");
    assert_eq!(e.kind(), Some(ErrorKind::Type));
    let e = err("rules:\n  n:\n    reference: x\n    formula: role = \"child\"\n");
    assert_at(&e, ErrorKind::Type, 4, 14, "per-person input");
}

#[test]
fn yaml_structure_errors() {
    // Unknown key, with the list of expected keys.
    let e = err("rules:\n  n:\n    reference: x\n    formla: 1\n");
    assert_at(&e, ErrorKind::Structure, 4, 5, "unknown key `formla`");
    // Missing reference.
    let e = err("rules:\n  n:\n    formula: 1\n");
    assert_at(&e, ErrorKind::Structure, 3, 5, "missing key `reference`");
    // A list where a mapping is expected.
    let e = err("rules:\n  - a\n");
    assert_at(&e, ErrorKind::Structure, 2, 3, "expected a mapping");
    // Broken YAML.
    let e = err("rules:\n  n: [1, 2\n");
    assert_eq!(e.kind(), Some(ErrorKind::Yaml), "{e}");
    assert!(e.position().is_some());
}

#[test]
fn duplicates_are_rejected() {
    let e = err("rules:\n  rate:\n    reference: x\n    formula: 1\n");
    assert_at(
        &e,
        ErrorKind::Duplicate,
        2,
        3,
        "already defined at mem/a.yaml:7:3",
    );
}

#[test]
fn bad_values() {
    let bad =
        "parameters:\n  p:\n    type: money\n    reference: x\n    values: { 2024-13-01: 5 }\n";
    let e = load_rule_set_from_files("m", &[(PathBuf::from("m/p.yaml"), bad.into())]).unwrap_err();
    assert_eq!(e.kind(), Some(ErrorKind::Value));
    assert_eq!(e.position().map(|p| (p.1, p.2)), Some((5, 15)), "{e}");
    let overlap = "tables:\n  t:\n    type: money\n    reference: x\n    rows:\n      - { from: 0, to: 3, value: 1 }\n      - { from: 3, value: 2 }\n";
    let e =
        load_rule_set_from_files("m", &[(PathBuf::from("m/t.yaml"), overlap.into())]).unwrap_err();
    assert_eq!(e.position().map(|p| (p.1, p.2)), Some((7, 11)), "{e}");
    assert!(e.to_string().contains("overlaps"));
}

#[test]
fn unknown_source_is_rejected() {
    let f = "inputs:\n  x: { entity: person, type: money, source: Skatteetaten }\n";
    let e = load_rule_set_from_files("m", &[(PathBuf::from("m/i.yaml"), f.into())]).unwrap_err();
    assert_eq!(e.kind(), Some(ErrorKind::UnknownName));
    assert_eq!(e.position().map(|p| (p.1, p.2)), Some((2, 45)), "{e}");
}

#[test]
fn main_output_must_exist() {
    let f = "ruleset:\n  main_output: nothing\n";
    let e = load_rule_set_from_files("m", &[(PathBuf::from("m/r.yaml"), f.into())]).unwrap_err();
    assert_eq!(e.kind(), Some(ErrorKind::UnknownName));
    assert_eq!(e.position().map(|p| (p.1, p.2)), Some((2, 16)));
}

#[test]
fn empty_directory_is_an_error() {
    let dir = std::env::temp_dir().join(format!("samlet-rules-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let e = samlet_rules::load_rule_set(&dir).unwrap_err();
    assert!(matches!(e, LoadError::Invalid { .. }));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn reserved_names_are_rejected() {
    let e = err("rules:\n  id:\n    reference: x\n    formula: 1\n");
    assert_at(&e, ErrorKind::Structure, 2, 3, "reserved");
    let e = err("rules:\n  members:\n    reference: x\n    formula: 1\n");
    assert_at(&e, ErrorKind::Structure, 2, 3, "reserved word");
}

#[test]
fn crate_doc_example_loads_and_evaluates() {
    // Keeps the format example in the crate documentation honest.
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lib.rs")).unwrap();
    let lines: Vec<&str> = lib
        .lines()
        .map(|l| {
            l.strip_prefix("//! ")
                .or_else(|| l.strip_prefix("//!"))
                .unwrap_or(l)
        })
        .collect();
    let start = lines.iter().position(|l| *l == "```yaml").unwrap() + 1;
    let end = start + lines[start..].iter().position(|l| *l == "```").unwrap();
    let yaml = lines[start..end].join("\n");
    let mut files = vec![(PathBuf::from("doc/rules.yaml"), yaml)];
    let ftl =
        "child-benefit-name = Barnetrygd\nchild-benefit-source-folkeregisteret = Folkeregisteret\n";
    let no_danish = load_rule_set_from_files("doc", &files)
        .map(|_| ())
        .unwrap_err();
    assert!(
        no_danish
            .to_string()
            .contains("`child-benefit-name` in nb, nn, en, da"),
        "{no_danish}"
    );
    for lang in ["nb", "nn", "en", "da"] {
        files.push((
            PathBuf::from(format!("doc/locales/{lang}/doc.ftl")),
            ftl.to_owned(),
        ));
    }
    let rs = load_rule_set_from_files("doc", &files).unwrap_or_else(|e| panic!("{e}"));
    let h: samlet_rules::Household = serde_json::from_str(
        r#"{"members":[{"role":"child","birth_date":"2015-01-01"},{"role":"child","birth_date":"2016-01-01"},{"role":"child","birth_date":"2017-01-01"}]}"#,
    )
    .unwrap();
    let ev = rs
        .evaluate(&h, samlet_rules::Period::parse("2024-09").unwrap())
        .unwrap();
    assert_eq!(
        ev.get("child_benefit"),
        Some(&samlet_rules::Value::int(3 * 1766 + 500))
    );
}

#[test]
fn a_custom_rule_set_missing_a_translation_does_not_load() {
    let dir = PathBuf::from("custom");
    let yaml = "ruleset:\n  id: custom\n  name: custom-name\n  period: month\nrules:\n  one:\n    reference: \"§ 1\"\n    label: custom-one\n    explain: custom-one-explain\n    formula: 1\n";
    let full =
        "custom-name = Stønad\ncustom-one = Ein\ncustom-one-explain = Verdien er { $value }.\n";
    let mut files = vec![(dir.join("rules.yaml"), yaml.to_owned())];
    for lang in ["nb", "nn", "en"] {
        files.push((
            dir.join(format!("locales/{lang}/custom.ftl")),
            full.to_owned(),
        ));
    }
    files.push((
        dir.join("locales/da/custom.ftl"),
        "custom-name = Ydelse\n".to_owned(),
    ));
    let e = load_rule_set_from_files(&dir, &files)
        .map(|_| ())
        .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("custom/locales: missing translations"),
        "{msg}"
    );
    assert!(msg.contains("`custom-one` in da"), "{msg}");
    assert!(msg.contains("`custom-one-explain` in da"), "{msg}");
    assert!(!msg.contains("custom-name"), "{msg}");
    // The old two-language form in the YAML is pointed at, with its position.
    let old = yaml.replace("label: custom-one", "label: { nb: Ein, en: One }");
    files[0].1 = old;
    let e = load_rule_set_from_files(&dir, &files)
        .map(|_| ())
        .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("custom/rules.yaml:8:14: structure error: expected a message id"),
        "{e}"
    );
}
