//! The expression language end to end: each construct evaluated on a small household.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report
use std::path::PathBuf;

use samlet_rules::{load_rule_set_from_files, EvalError, Household, Period, RuleSet, Value};

const BASE: &str = "\
sources:
  Reg: { authoritative: true }
inputs:
  birth_date: { entity: person, type: date, source: Reg }
  role: { entity: person, type: text, source: Reg }
  income: { entity: person, type: money, source: Reg }
  rent: { entity: household, type: money, source: none }
parameters:
  limit:
    type: money
    reference: p
    values: { 2020-01-01: 100, 2024-07-01: 200 }
  late:
    type: money
    reference: p
    values: { 2030-01-01: 1 }
tables:
  t:
    type: money
    reference: t
    rows: [ { to: 1, value: 10 }, { from: 2, to: 3, value: 20 } ]
";

fn rs(rules: &str) -> RuleSet {
    load_rule_set_from_files(
        "m",
        &[
            (PathBuf::from("m/base.yaml"), BASE.to_string()),
            (PathBuf::from("m/rules.yaml"), format!("rules:\n{rules}")),
        ],
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn household() -> Household {
    serde_json::from_str(
        r#"{"id":"h","rent":"1000.50","members":[
            {"id":"a","role":"parent","birth_date":"1980-05-05","income":300},
            {"id":"b","role":"parent","birth_date":"1982-01-01","income":50},
            {"id":"c","role":"child","birth_date":"2010-07-15","income":0}]}"#,
    )
    .unwrap()
}

fn eval(rules: &str, rule: &str, period: &str) -> Result<Value, EvalError> {
    let r = rs(rules);
    let ev = r.evaluate_rules(&household(), Period::parse(period).unwrap(), &[rule])?;
    Ok(ev.get(rule).cloned().unwrap())
}

fn one(formula: &str) -> Value {
    eval(
        &format!("  x:\n    reference: r\n    formula: {formula}\n"),
        "x",
        "2024-09",
    )
    .unwrap_or_else(|e| panic!("{formula}: {e}"))
}

fn n(s: &str) -> Value {
    Value::Number(s.parse().unwrap())
}

#[test]
fn arithmetic_and_functions() {
    assert_eq!(one("1 + 2 * 3 - 4 / 8"), n("6.5"));
    assert_eq!(one("-(2 - 5)"), n("3"));
    assert_eq!(
        one("floor(7.9) + ceil(0.1) + round(2.5) + abs(-1)"),
        n("12")
    );
    assert_eq!(one("min(3, 1, 2) + max(3, 9)"), n("10"));
    assert_eq!(one("10%"), n("0.1"));
    assert_eq!(one("rent * 2"), n("2001"));
}

#[test]
fn logic_and_if() {
    assert_eq!(one("if 1 < 2 and not (2 = 3) then 1 else 2"), n("1"));
    assert_eq!(one("if false or 2 >= 2 then 5 else 6"), n("5"));
    assert_eq!(
        one("if date(\"2024-09-30\") = period.end then 1 else 0"),
        n("1")
    );
}

#[test]
fn parameters_follow_the_period() {
    assert_eq!(
        eval(
            "  x:\n    reference: r\n    formula: limit\n",
            "x",
            "2024-06"
        )
        .unwrap(),
        n("100")
    );
    assert_eq!(
        eval(
            "  x:\n    reference: r\n    formula: limit\n",
            "x",
            "2024-07"
        )
        .unwrap(),
        n("200")
    );
    let e = eval(
        "  x:\n    reference: r\n    formula: late\n",
        "x",
        "2024-07",
    )
    .unwrap_err();
    assert!(matches!(e, EvalError::NoParameterValue { .. }), "{e}");
}

#[test]
fn aggregates() {
    assert_eq!(one("count(members)"), n("3"));
    assert_eq!(one("count(members where role = \"parent\")"), n("2"));
    assert_eq!(one("sum(income for members)"), n("350"));
    assert_eq!(
        one("min(income for members where role = 'parent')"),
        n("50")
    );
    assert_eq!(
        one("max(age(birth_date, period.start) for members)"),
        n("44")
    );
    assert_eq!(
        one("max(income for members where role = \"nobody\")"),
        n("0")
    );
    assert_eq!(
        one("if any(members where role = \"child\") then 1 else 0"),
        n("1")
    );
    assert_eq!(one("if all(income >= 0 for members) then 1 else 0"), n("1"));
    assert_eq!(one("if all(income > 60 for members) then 1 else 0"), n("0"));
}

#[test]
fn person_rules_and_tables() {
    let rules = "  adult:\n    entity: person\n    reference: r\n    condition: age(birth_date, period.start) >= 18\n  adults:\n    reference: r\n    formula: count(members where adult)\n  sup:\n    reference: r\n    formula: lookup(t, adults)\n";
    assert_eq!(eval(rules, "adults", "2024-09").unwrap(), n("2"));
    assert_eq!(eval(rules, "sup", "2024-09").unwrap(), n("20"));
    let rules = "  x:\n    reference: r\n    formula: lookup(t, 7)\n";
    assert!(matches!(
        eval(rules, "x", "2024-09"),
        Err(EvalError::NoTableRow { .. })
    ));
}

#[test]
fn runtime_errors_name_the_rule() {
    let e = eval(
        "  x:\n    reference: r\n    formula: 1 / (rent - rent)\n",
        "x",
        "2024-09",
    )
    .unwrap_err();
    assert_eq!(e, EvalError::DivisionByZero { rule: "x".into() });
}

#[test]
fn missing_household_input() {
    let r = rs("  x:\n    reference: r\n    formula: rent\n");
    let h = Household::default();
    let e = r
        .evaluate_rules(&h, Period::parse("2024-09").unwrap(), &["x"])
        .unwrap_err();
    assert!(
        matches!(e, EvalError::MissingInput { ref input, .. } if input == "rent"),
        "{e}"
    );
    assert!(r.inputs_report().to_string().contains("rent"));
    assert!(!r.inputs_report().automatable);
}
