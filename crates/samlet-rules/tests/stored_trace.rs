//! A trace stored as JSON explains exactly as the evaluation it came from, in every language:
//! stored offers keep the trace and are explained in the reader's language when read.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use samlet_rules::{explain_trace, shipped_rule_sets, Household, Lang, Period, Trace};

fn household(json: serde_json::Value) -> Household {
    serde_json::from_value(json).unwrap()
}

#[test]
fn a_stored_trace_explains_as_the_evaluation_did() {
    let sets = shipped_rule_sets().unwrap();
    let cases = [
        (
            "child-benefit",
            "2024-09",
            household(serde_json::json!({"id": "h1", "members": [
                {"id": "Kari", "role": "parent", "birth_date": "1984-04-12", "annual_income": 800000},
                {"id": "Ola", "role": "parent", "birth_date": "1983-10-02", "annual_income": 500000},
                {"id": "Emil", "role": "child", "birth_date": "2012-03-15", "annual_income": 0},
                {"id": "Jonas", "role": "child", "birth_date": "2019-06-07", "annual_income": 0}
            ]})),
        ),
        (
            "funeral-grant",
            "2026-10",
            household(serde_json::json!({
                "deceased_birth_date": "1961-05-20", "deceased_assets": 52000, "spouse_assets": 0
            })),
        ),
    ];
    for (id, period, h) in cases {
        let rs = sets.iter().find(|r| r.id() == id).unwrap();
        let ev = rs.evaluate(&h, Period::parse(period).unwrap()).unwrap();
        let stored = serde_json::to_string(&ev.trace).unwrap();
        let read = Trace::from_json(&stored).unwrap();
        for lang in Lang::ALL {
            assert_eq!(
                explain_trace(&read, lang),
                ev.explanation(lang),
                "{id} in {lang}"
            );
        }
        assert_eq!(read, ev.trace, "{id}: the trace reads back as it was");
    }
}
