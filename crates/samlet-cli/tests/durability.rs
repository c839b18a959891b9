//! Crash durability: NAV streams bulk uploads, the server is killed with
//! SIGKILL mid-ingest and restarted. Every line the server acknowledged is
//! there; an upload that was not acknowledged is there entirely or not at all.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::NaiveDate;
use samlet_domain::Pid;
use samlet_store::OverviewLimits;

mod common;
use common::{add_nav_with_dev_token, serve_on_any_port, wait_healthy, BIN};

const LINES_PER_BULK: usize = 400;
const PERSONS: usize = 8;

/// `samlet serve` on the data dir: the process and its base URL.
fn start(dir: &std::path::Path) -> (Child, String) {
    serve_on_any_port(
        Command::new(BIN)
            .args(["serve", "--dev", "--data-dir"])
            .arg(dir)
            .stderr(Stdio::null()),
    )
}

fn people() -> Vec<Pid> {
    (0..PERSONS as u32)
        .map(|i| {
            let birth = NaiveDate::from_ymd_opt(1980, 1 + i, 10).expect("date");
            (0..1000)
                .find_map(|n| Pid::synthetic(birth, n))
                .expect("pid")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_lines_survive_sigkill() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = add_nav_with_dev_token(dir.path());

    let (mut server, base) = start(dir.path());
    let http = reqwest::Client::new();
    wait_healthy(&http, &base).await;

    let people = Arc::new(people());
    let acked: Arc<Mutex<HashSet<String>>> = Arc::default();
    let sent: Arc<Mutex<HashSet<String>>> = Arc::default();
    let mut tasks = Vec::new();
    for t in 0..4 {
        let (http, base, token, people, acked, sent) = (
            http.clone(),
            base.clone(),
            token.clone(),
            people.clone(),
            acked.clone(),
            sent.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for b in 0.. {
                let bulk = format!("t{t}b{b}");
                let body: Vec<String> = (0..LINES_PER_BULK)
                    .map(|i| {
                        serde_json::json!({"kind": "deadline", "pid": people[i % PERSONS].as_str(), "deadline_id": format!("{bulk}-{i}"), "title": "Frist", "due": "2026-06-01"})
                            .to_string()
                    })
                    .collect();
                sent.lock().expect("lock").insert(bulk.clone());
                let res = http
                    .post(format!("{base}/api/v1/bulk"))
                    .bearer_auth(&token)
                    .header("content-type", "application/x-ndjson")
                    .body(body.join("\n"))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() => {
                        let report: serde_json::Value = match r.json().await {
                            Ok(v) => v,
                            Err(_) => return,
                        };
                        assert_eq!(report["accepted"], LINES_PER_BULK);
                        acked.lock().expect("lock").insert(bulk);
                    }
                    _ => return,
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(2500)).await;
    server.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix.
    let _ = server.wait();
    for t in tasks {
        let _ = t.await;
    }
    let acked = acked.lock().expect("lock").clone();
    let sent = sent.lock().expect("lock").clone();
    assert!(
        acked.len() >= 2,
        "the server acknowledged some uploads before the kill ({})",
        acked.len()
    );

    // Restart the server (runs migrations, recovers the WAL) and check it serves.
    let (mut server, base) = start(dir.path());
    wait_healthy(&http, &base).await;
    let _ = server.kill();
    let _ = server.wait();

    let store = samlet_store::connect(&format!(
        "sqlite://{}",
        dir.path().join("samlet.db").display()
    ))
    .await
    .expect("open");
    let mut per_bulk: HashMap<String, usize> = HashMap::new();
    for p in people.iter() {
        let o = store
            .overview(p.as_str(), OverviewLimits::default())
            .await
            .expect("overview");
        for d in o.deadlines {
            let bulk = d
                .deadline_id
                .split('-')
                .next()
                .unwrap_or_default()
                .to_owned();
            *per_bulk.entry(bulk).or_default() += 1;
        }
    }
    for bulk in &acked {
        assert_eq!(
            per_bulk.get(bulk).copied().unwrap_or(0),
            LINES_PER_BULK,
            "acknowledged upload {bulk} is complete"
        );
    }
    for bulk in sent.difference(&acked) {
        let n = per_bulk.get(bulk).copied().unwrap_or(0);
        assert!(
            n == 0 || n == LINES_PER_BULK,
            "unacknowledged upload {bulk} is all or nothing, found {n}"
        );
    }
    eprintln!(
        "acknowledged {} uploads ({} lines) before SIGKILL; all present",
        acked.len(),
        acked.len() * LINES_PER_BULK
    );
}
