//! Property: the population run (CSV, columnar, parallel) gives exactly the same amount as the
//! one-household evaluation, for random households — including rows of a household that are
//! not adjacent in the CSV.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report
use std::collections::BTreeMap;

use proptest::prelude::*;
use samlet_rules::{load_rule_set, run_population, Household, Member, Period, RuleSet, Value};

fn rules() -> RuleSet {
    load_rule_set(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/child-benefit")).unwrap()
}

#[derive(Debug, Clone)]
struct P {
    role: &'static str,
    born: (i32, u32, u32),
    income: i64,
}

fn person() -> impl Strategy<Value = P> {
    (
        prop_oneof![4 => Just("child"), 3 => Just("parent"), 1 => Just("grandparent")],
        // Around the 18-year boundary for a 2024 period, and adults.
        prop_oneof![3 => (2004i32..=2024, 1u32..=12, 1u32..=28), 1 => (1940i32..=2000, 1u32..=12, 1u32..=28), 1 => (2005i32..=2007, 1u32..=12, Just(1u32))],
        prop_oneof![2 => Just(0i64), 2 => 0i64..3_000_000, 1 => 1_199_880i64..1_200_240],
    )
        .prop_map(|(role, born, income)| P { role, born, income })
}

fn household() -> impl Strategy<Value = Vec<P>> {
    prop::collection::vec(person(), 0..9)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]
    #[test]
    fn population_equals_single_evaluation(
        households in prop::collection::vec(household(), 1..30),
        month in 1u32..=12,
        year in 2023i32..=2025,
        shuffle_seed in any::<u64>(),
    ) {
        let rs = rules();
        let period = Period::month(year, month).unwrap();
        let mut rows = Vec::new();
        let mut pid = 0;
        for (h, members) in households.iter().enumerate() {
            for p in members {
                pid += 1;
                rows.push(format!("P{pid},H{h},{:04}-{:02}-{:02},{},{}", p.born.0, p.born.1, p.born.2, p.role, p.income));
            }
        }
        // Deterministic shuffle so households are spread over the file.
        let mut rng = samlet_rules::SplitMix64::new(shuffle_seed);
        for i in (1..rows.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            rows.swap(i, j);
        }
        let csv = format!("person_id,household_id,birth_date,role,annual_income\n{}\n", rows.join("\n"));
        let mut out = Vec::new();
        let stats = run_population(&rs, csv.as_bytes(), period, &mut out, |_, _| {}).unwrap();
        prop_assert_eq!(stats.failed, 0);
        let text = String::from_utf8(out).unwrap();
        let mut got: BTreeMap<String, String> = BTreeMap::new();
        for line in text.lines().skip(1) {
            let (h, a) = line.split_once(',').unwrap();
            got.insert(h.to_string(), a.to_string());
        }
        for (h, members) in households.iter().enumerate() {
            let id = format!("H{h}");
            if members.is_empty() {
                prop_assert!(!got.contains_key(&id));
                continue;
            }
            let hh = Household {
                id: id.clone(),
                members: members.iter().map(|p| {
                    let mut inputs = BTreeMap::new();
                    inputs.insert("role".to_string(), Value::text(p.role));
                    inputs.insert("birth_date".to_string(), Value::text(&format!("{:04}-{:02}-{:02}", p.born.0, p.born.1, p.born.2)));
                    inputs.insert("annual_income".to_string(), Value::int(p.income));
                    Member { id: String::new(), inputs }
                }).collect(),
                inputs: BTreeMap::new(),
            };
            let ev = rs.evaluate(&hh, period).unwrap();
            let single = ev.get("child_benefit").unwrap().to_string();
            prop_assert_eq!(got.get(&id), Some(&single), "household {}", id);
        }
    }
}

#[test]
fn generator_is_deterministic_and_runs() {
    let d = chrono::NaiveDate::from_ymd_opt(2024, 9, 1).unwrap();
    let mut a = Vec::new();
    let mut b = Vec::new();
    let (h, p) = samlet_rules::generate_population(&mut a, 2000, 7, d).unwrap();
    samlet_rules::generate_population(&mut b, 2000, 7, d).unwrap();
    assert_eq!(a, b);
    assert_eq!(h, 2000);
    assert!(p > 4000 && p < 6000, "{p}");
    let rs = rules();
    let calls = std::sync::atomic::AtomicU64::new(0);
    let mut out = Vec::new();
    let stats = run_population(
        &rs,
        a.as_slice(),
        Period::parse("2024-09").unwrap(),
        &mut out,
        |done, total| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            assert!(done <= total);
        },
    )
    .unwrap();
    assert_eq!(stats.households, 2000);
    assert_eq!(stats.persons, p);
    assert_eq!(stats.failed, 0);
    assert!(calls.load(std::sync::atomic::Ordering::Relaxed) >= 2);
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 2001);
}

#[test]
fn csv_errors_are_clear() {
    let rs = rules();
    let p = Period::parse("2024-09").unwrap();
    let e = run_population(
        &rs,
        "household_id,role,birth_date\nH1,child,2010-01-01\n".as_bytes(),
        p,
        Vec::new(),
        |_, _| {},
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("missing column `annual_income`"),
        "{e}"
    );
    let e = run_population(
        &rs,
        "household_id,role,birth_date,annual_income,shoe\n".as_bytes(),
        p,
        Vec::new(),
        |_, _| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown column `shoe`"), "{e}");
    let e = run_population(
        &rs,
        "household_id,role,birth_date,annual_income\nH1,child,2010-13-01,0\n".as_bytes(),
        p,
        Vec::new(),
        |_, _| {},
    )
    .unwrap_err();
    assert!(e.to_string().contains("line 2, column `birth_date`"), "{e}");
}
