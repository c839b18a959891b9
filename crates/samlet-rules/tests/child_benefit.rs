//! The shipped child-benefit rule set: its YAML cases, explanations, trace, inputs report and
//! failure reporting.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report
use std::collections::BTreeMap;

use samlet_rules::{load_rule_set, Household, Lang, Member, Period, RuleSet, Value};

fn rules() -> RuleSet {
    load_rule_set(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/child-benefit")).unwrap()
}

fn member(id: &str, role: &str, born: &str, income: Option<i64>) -> Member {
    let mut inputs = BTreeMap::new();
    inputs.insert("role".to_string(), Value::text(role));
    inputs.insert("birth_date".to_string(), Value::text(born));
    if let Some(i) = income {
        inputs.insert("annual_income".to_string(), Value::int(i));
    }
    Member {
        id: id.into(),
        inputs,
    }
}

#[test]
fn shipped_yaml_cases_pass() {
    let rs = rules();
    let report = rs.run_default_tests();
    assert!(report.ok(), "{report}");
    assert!(report.cases.len() >= 20);
}

#[test]
fn failing_case_is_reported_precisely() {
    let rs = rules();
    let yaml = "tests:\n  - name: wrong\n    period: 2024-09\n    household:\n      members:\n        - { role: child, birth_date: 2015-01-01 }\n    expect:\n      number_of_children: 1\n      child_benefit: 1510\n";
    let report = rs.run_tests_from_str("t.yaml", yaml);
    assert_eq!(report.failed(), 1);
    let text = report.to_string();
    assert!(text.contains("FAIL t.yaml:2: wrong (2024-09)"), "{text}");
    assert!(
        text.contains("t.yaml:9:22: child_benefit: expected 1510, got 1766"),
        "{text}"
    );
    assert!(text.contains("0 passed, 1 failed"), "{text}");
}

#[test]
fn invalid_case_is_reported_with_position() {
    let rs = rules();
    let yaml = "tests:\n  - name: typo\n    period: 2024-09\n    household:\n      members:\n        - { rolle: child }\n    expect:\n      child_benefit: 0\n";
    let report = rs.run_tests_from_str("t.yaml", yaml);
    let text = report.to_string();
    assert!(text.contains("t.yaml:6:13"), "{text}");
    assert!(
        text.contains("`rolle` is not a declared per-person input"),
        "{text}"
    );
    let yaml = "tests:\n  - name: missing\n    period: 2024-09\n    household:\n      members:\n        - { role: parent }\n    expect:\n      child_benefit: 0\n";
    let text = rs.run_tests_from_str("t.yaml", yaml).to_string();
    assert!(text.contains("missing input `annual_income`"), "{text}");
}

#[test]
fn explanation_in_both_languages() {
    let rs = rules();
    let h = Household {
        id: "H1".into(),
        members: vec![
            member("Kari", "parent", "1984-04-12", Some(1_300_000)),
            member("Emil", "child", "2012-03-15", None),
            member("Sofie", "child", "2015-11-30", None),
            member("Jonas", "child", "2019-06-07", None),
        ],
        inputs: BTreeMap::new(),
    };
    let ev = rs.evaluate(&h, Period::parse("2024-09").unwrap()).unwrap();
    assert_eq!(ev.get("child_benefit"), Some(&Value::int(4964)));
    let nb = ev.explanation(Lang::Nb);
    assert!(
        nb.contains("Barnetrygd per måned: 4\u{a0}964\u{a0}kr"),
        "{nb}"
    );
    assert!(nb.contains("Barn under 18 år i husstanden: 3."), "{nb}");
    assert!(
        nb.contains("1\u{a0}766\u{a0}kr (gjelder fra 1. september 2024) [barnetrygdloven § 10]"),
        "{nb}"
    );
    assert!(nb.contains("hentet fra Folkeregisteret"), "{nb}");
    assert!(nb.contains("oppdiktet"), "{nb}");
    let en = ev.explanation(Lang::En);
    assert!(
        en.contains("Child benefit per month: NOK\u{a0}4,964"),
        "{en}"
    );
    assert!(en.contains("3 gives NOK\u{a0}500 (row 3–4)"), "{en}");
    assert!(en.contains("held"), "{en}");
    // Children's income was not used and is therefore not listed.
    assert!(!en.contains("Emil: NOK"), "{en}");
    // Nynorsk and Danish are whole explanations, not bokmål with another heading.
    let nn = ev.explanation(Lang::Nn);
    assert!(
        nn.contains("Barnetrygd per månad: 4\u{a0}964\u{a0}kr"),
        "{nn}"
    );
    assert!(nn.contains("Barn under 18 år i hushaldet: 3."), "{nn}");
    assert!(nn.contains("gjeld frå 1. september 2024"), "{nn}");
    assert!(nn.contains("henta frå Folkeregisteret"), "{nn}");
    let da = ev.explanation(Lang::Da);
    assert!(
        da.contains("Børnetilskud – september 2024 (husstand H1)"),
        "{da}"
    );
    assert!(
        da.contains("Børnetilskud pr. måned: 4.964\u{a0}norske kr."),
        "{da}"
    );
    assert!(da.contains("Børn under 18 år i husstanden: 3."), "{da}");
    assert!(da.contains("gælder fra 1. september 2024"), "{da}");
    assert!(da.contains("opdigtede"), "{da}");
}

#[test]
fn trace_is_serialisable_and_complete() {
    let rs = rules();
    let h: Household = serde_json::from_str(
        r#"{"id":"h","members":[{"id":"p","role":"parent","birth_date":"1980-01-01","annual_income":"1200120"},
                               {"id":"c","role":"child","birth_date":"2012-01-01"}]}"#,
    )
    .unwrap();
    let ev = rs.evaluate(&h, "2024-08".parse().unwrap()).unwrap();
    let json: serde_json::Value = serde_json::to_value(&ev.trace).unwrap();
    assert_eq!(json["outputs"][0]["value"], "1509");
    let params: Vec<&str> = json["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert!(params.contains(&"amount_per_child"));
    assert_eq!(json["parameters"][0]["valid_from"], "2000-01-01");
    let inputs: Vec<&str> = json["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["source"].as_str().unwrap())
        .collect();
    assert!(inputs.contains(&"A-ordningen"));
    assert_eq!(json["tables"][0]["id"], "large_family_supplement_table");
}

#[test]
fn evaluation_errors_are_typed() {
    let rs = rules();
    let h: Household =
        serde_json::from_str(r#"{"members":[{"role":"child","birth_date":"not a date"}]}"#)
            .unwrap();
    let e = rs.evaluate(&h, "2024-09".parse().unwrap()).unwrap_err();
    assert!(e.to_string().contains("birth_date"), "{e}");
    let h: Household = serde_json::from_str(r#"{"members":[{"shoe_size":42}]}"#).unwrap();
    assert!(matches!(
        rs.evaluate(&h, "2024-09".parse().unwrap()),
        Err(samlet_rules::EvalError::UnknownInput { .. })
    ));
}

#[test]
fn inputs_report() {
    let rs = rules();
    let r = rs.inputs_report();
    assert!(r.automatable);
    let cb = r.rules.iter().find(|x| x.id == "child_benefit").unwrap();
    assert_eq!(cb.inputs, vec!["birth_date", "role", "annual_income"]);
    let pi = r.rules.iter().find(|x| x.id == "parental_income").unwrap();
    assert_eq!(pi.inputs, vec!["role", "annual_income"]);
    let text = r.to_string();
    assert!(text.contains("AUTOMATABLE"), "{text}");
    assert!(serde_json::to_string(&r)
        .unwrap()
        .contains("\"authoritative\":true"));
}

#[test]
fn inputs_report_flags_data_without_authoritative_source() {
    let files = vec![
        (
            std::path::PathBuf::from("m/r.yaml"),
            "sources:\n  Folkeregisteret: { authoritative: true }\n  Selvangivelse: { authoritative: false }\ninputs:\n  role: { entity: person, type: text, source: Folkeregisteret }\n  cohabiting: { entity: household, type: boolean, source: none }\n  rent: { entity: household, type: money, source: Selvangivelse }\nrules:\n  single_parent:\n    reference: x\n    output: true\n    condition: count(members where role = \"parent\") = 1 and not cohabiting\n  housing:\n    reference: y\n    output: true\n    formula: rent / 2\n  kids:\n    reference: z\n    output: true\n    formula: count(members where role = \"child\")\n".to_string(),
        ),
    ];
    let rs = samlet_rules::load_rule_set_from_files("m", &files).unwrap();
    let r = rs.inputs_report();
    assert!(!r.automatable);
    let sp = r.rules.iter().find(|x| x.id == "single_parent").unwrap();
    assert_eq!(sp.not_automatable, vec!["cohabiting"]);
    let h = r.rules.iter().find(|x| x.id == "housing").unwrap();
    assert_eq!(h.not_automatable, vec!["rent"]);
    assert!(r.rules.iter().find(|x| x.id == "kids").unwrap().automatable);
    let text = r.to_string();
    assert!(text.contains("NOT FULLY AUTOMATABLE"), "{text}");
    assert!(text.contains("Selvangivelse (NOT authoritative)"), "{text}");
}
