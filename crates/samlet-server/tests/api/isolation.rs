//! Property: whatever agencies push for whomever, each person's overview
//! holds exactly their own items, and an id once used for one person never
//! moves to another.

use std::collections::{BTreeSet, HashMap};

use proptest::prelude::*;
use proptest::test_runner::{Config as PropConfig, TestRunner};
use serde_json::json;

use crate::helpers::{person, TestApp};

const KINDS: [&str; 4] = ["case", "deadline", "benefit", "message"];

fn line(kind: &str, pid: &str, id: &str) -> String {
    match kind {
        "case" => json!({"kind": kind, "pid": pid, "case_id": id, "title": "t", "status": "received"}),
        "deadline" => json!({"kind": kind, "pid": pid, "deadline_id": id, "title": "t", "due": "2026-06-01"}),
        "benefit" => json!({"kind": kind, "pid": pid, "benefit_id": id, "name": "n", "amount": "1.00", "currency": "NOK"}),
        _ => json!({"kind": kind, "pid": pid, "message_id": id, "subject": "s", "body": "b"}),
    }
    .to_string()
}

fn ids_in(o: &serde_json::Value, kind: &str) -> Vec<(String, String)> {
    let (list, key) = match kind {
        "case" => ("cases", "case_id"),
        "deadline" => ("deadlines", "deadline_id"),
        "benefit" => ("benefits", "benefit_id"),
        _ => ("messages", "message_id"),
    };
    o[list]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["agency"]["org"].as_str().unwrap_or("").to_owned(),
                        x[key].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn no_person_ever_sees_another_persons_items() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (app, agencies, cookies, people) = rt.block_on(async {
        let app = TestApp::spawn().await;
        let agencies = vec![
            app.agency("88964078", "NAV").await,
            app.agency("97476107", "Skatteetaten").await,
            app.agency("95893542", "Oslo kommune").await,
        ];
        let people: Vec<_> = (0..5).map(|i| person(300 + i)).collect();
        let mut cookies = Vec::new();
        for p in &people {
            cookies.push(app.login(p).await);
        }
        (app, agencies, cookies, people)
    });
    let mut runner = TestRunner::new(PropConfig {
        cases: 24,
        ..PropConfig::default()
    });
    let case_no = std::sync::atomic::AtomicU32::new(0);
    let items = proptest::collection::vec((0usize..3, 0usize..5, 0usize..4, 0u8..6), 1..40);
    let result = runner.run(&items, |items| {
        let n = case_no.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let prefix = format!("c{n}-");
        // The model: the first person an (agency, kind, id) is sent for owns it.
        let mut owner: HashMap<(usize, usize, u8), usize> = HashMap::new();
        let mut per_agency: Vec<Vec<String>> = vec![Vec::new(); 3];
        for &(a, p, k, id) in &items {
            owner.entry((a, k, id)).or_insert(p);
            per_agency[a].push(line(KINDS[k], people[p].as_str(), &format!("{prefix}{id}")));
        }
        rt.block_on(async {
            for (a, lines) in per_agency.iter().enumerate() {
                if !lines.is_empty() {
                    let r = app.bulk(&agencies[a], lines.join("\n")).await;
                    prop_assert_eq!(r.status().as_u16(), 200);
                }
            }
            for (p, cookie) in cookies.iter().enumerate() {
                let o = app.overview(cookie).await;
                for (k, kind) in KINDS.iter().enumerate() {
                    let seen: BTreeSet<(String, String)> = ids_in(&o, kind)
                        .into_iter()
                        .filter(|(_, id)| id.starts_with(&prefix))
                        .collect();
                    let expected: BTreeSet<(String, String)> = owner
                        .iter()
                        .filter(|((_, kk, _), owner)| *kk == k && **owner == p)
                        .map(|((a, _, id), _)| (agencies[*a].org.clone(), format!("{prefix}{id}")))
                        .collect();
                    prop_assert_eq!(seen, expected, "person {} kind {}", p, kind);
                }
            }
            Ok(())
        })
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
