//! `samlet bench foresight`: a gathering at scale through the real server on
//! loopback. Like every benchmark it measures `GET /health` in the same run
//! and prints its figures as a ratio against that baseline.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Args;
use futures::StreamExt;
use rand::{Rng, SeedableRng};
use samlet_app::foresight::{self as fs, SessionFile, TrendEntry};
use samlet_server::{AppState, Config};

/// N participants join and submit a full ballot (14 trends) through the real
/// server on loopback (SQLite in a temp dir); checks none is lost and
/// measures how far the live count and the results lag behind acknowledged
/// ballots.
#[derive(Args)]
pub struct ForesightArgs {
    #[arg(long, default_value_t = 10_000)]
    participants: usize,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Fail if the run takes longer than this many seconds.
    #[arg(long, default_value_t = 60)]
    deadline_secs: u64,
}

pub async fn run(a: ForesightArgs) -> anyhow::Result<()> {
    foresight(a.participants, a.concurrency.max(1), a.deadline_secs).await
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// For each sample `(received_at, count)`: how long the oldest acknowledged
/// ballot that the count did not yet include had been acknowledged when the
/// answer arrived.
fn max_lag(acks: &[Instant], samples: &[(Instant, u64)]) -> Duration {
    samples
        .iter()
        .filter_map(|&(t, count)| {
            let acked_before = acks.partition_point(|a| *a < t);
            (count < acked_before as u64).then(|| t.duration_since(acks[count as usize]))
        })
        .max()
        .unwrap_or(Duration::ZERO)
}

/// Why a participant did not get through, grouped in the report.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error("transport error after a retry: {0}")]
    Transport(String),
    #[error("HTTP {status} from {path}: {detail}")]
    Status {
        status: u16,
        path: String,
        detail: String,
    },
    #[error("{0}")]
    Protocol(String),
}

/// POST JSON; a transport error (connection reset, timeout) is retried once,
/// which is safe: a second join only adds an unused participant and a second
/// ballot replaces the first. HTTP errors are not retried.
async fn send(
    c: &reqwest::Client,
    url: &str,
    bearer: Option<&str>,
    body: &serde_json::Value,
    retries: &mut u32,
) -> Result<serde_json::Value, Failure> {
    let path = url.split_once("/api/").map_or(url, |(_, p)| p).to_owned();
    let mut attempt = 0;
    loop {
        let mut req = c.post(url).json(body);
        if let Some(b) = bearer {
            req = req.bearer_auth(b);
        }
        match req.send().await {
            Ok(r) if r.status().is_success() => {
                return r
                    .json()
                    .await
                    .map_err(|e| Failure::Protocol(format!("{path}: unreadable answer: {e}")))
            }
            Ok(r) => {
                let status = r.status().as_u16();
                let v: serde_json::Value = r.json().await.unwrap_or_default();
                return Err(Failure::Status {
                    status,
                    path,
                    detail: v["detail"].as_str().unwrap_or("").to_owned(),
                });
            }
            Err(e) if attempt == 0 => {
                tracing::debug!(error = %e, "retrying {path}");
                attempt += 1;
                *retries += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => return Err(Failure::Transport(format!("{path}: {e}"))),
        }
    }
}

async fn foresight(n: usize, concurrency: usize, deadline_secs: u64) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = samlet_store::connect(&url).await?;
    let listen = "127.0.0.1:0".parse()?;
    let state = AppState::new(store.clone(), Config::dev(listen, url.clone())).await?;
    let (addr, _server) = samlet_server::spawn(state.clone())
        .await
        .context("server did not start")?;
    let base = format!("http://{addr}");

    let library = samlet_foresight::Library::builtin()?;
    let codes: Vec<String> = library.trends().iter().map(|t| t.code.clone()).collect();
    let created = fs::create_session(
        store.as_ref(),
        SessionFile {
            title: "Bench: helse og omsorg 2030".into(),
            trends: codes
                .iter()
                .map(|c| TrendEntry {
                    code: c.clone(),
                    title: None,
                    theme: None,
                })
                .collect(),
            thresholds: None,
            questions: None,
        },
    )
    .await?;
    let team = created.team_key.clone();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency * 2)
        .timeout(Duration::from_secs(30))
        .build()?;

    // Baseline: /health at the same concurrency.
    let health_n = 2_000;
    let mut health: Vec<Duration> = futures::stream::iter(0..health_n)
        .map(|_| {
            let c = client.clone();
            let u = format!("{base}/health");
            async move {
                let t = Instant::now();
                let ok = c
                    .get(u)
                    .send()
                    .await
                    .map(|r| r.status().is_success())
                    .unwrap_or(false);
                ok.then(|| t.elapsed())
            }
        })
        .buffer_unordered(concurrency)
        .filter_map(|d| async move { d })
        .collect()
        .await;
    health.sort();

    let acks: Arc<Mutex<Vec<Instant>>> = Arc::new(Mutex::new(Vec::with_capacity(n)));
    let stop = Arc::new(AtomicBool::new(false));
    let count_samples: Arc<Mutex<Vec<(Instant, u64)>>> = Arc::default();
    let result_samples: Arc<Mutex<Vec<(Instant, u64)>>> = Arc::default();
    let monitor = |path: String,
                   field: &'static str,
                   every: Duration,
                   out: Arc<Mutex<Vec<(Instant, u64)>>>| {
        let (c, stop, team) = (client.clone(), stop.clone(), team.clone());
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                if let Ok(r) = c.get(&path).bearer_auth(&team).send().await {
                    if let Ok(v) = r.json::<serde_json::Value>().await {
                        // Staleness is judged when the answer arrives, so the
                        // time the server spent computing it counts as lag.
                        let t = Instant::now();
                        if let (Some(x), Ok(mut o)) =
                            (v.get(field).and_then(|x| x.as_u64()), out.lock())
                        {
                            o.push((t, x));
                        }
                    }
                }
                tokio::time::sleep(every).await;
            }
        })
    };
    let m1 = monitor(
        format!("{base}/api/v1/foresight/sessions/{}", created.id),
        "voted",
        Duration::from_millis(100),
        count_samples.clone(),
    );
    let m2 = monitor(
        format!("{base}/api/v1/foresight/sessions/{}/results", created.id),
        "ballots",
        Duration::from_millis(100),
        result_samples.clone(),
    );

    println!("foresight bench: {n} participants, {} trends each, concurrency {concurrency}, SQLite on loopback", codes.len());
    let roles = [
        "managing_director",
        "director",
        "adviser",
        "clinician",
        "other",
    ];
    let started = Instant::now();
    let participant = |i: usize| {
        let (c, base, code, codes, acks) = (
            client.clone(),
            base.clone(),
            created.join_code.clone(),
            codes.clone(),
            acks.clone(),
        );
        async move {
            let t = Instant::now();
            let mut rng = rand::rngs::StdRng::seed_from_u64(i as u64);
            let mut retries = 0u32;
            let join = serde_json::json!({ "join_code": code });
            let joined = send(
                &c,
                &format!("{base}/api/v1/foresight/join"),
                None,
                &join,
                &mut retries,
            )
            .await?;
            let token = joined["participant_token"]
                .as_str()
                .ok_or_else(|| {
                    Failure::Protocol("join answered without a participant_token".into())
                })?
                .to_owned();
            let ratings: Vec<_> = codes
                .iter()
                .enumerate()
                .map(|(k, code)| {
                    // Importance leans high and preparedness low for the first trends, so there is a blind spot.
                    let imp = (rng.gen_range(1..=6) + if k % 3 == 0 { 2 } else { 0 }).min(6);
                    let prep = (rng.gen_range(1..=6) - if k % 3 == 0 { 2 } else { 0 }).max(1);
                    serde_json::json!({"trend": code, "importance": imp, "preparedness": prep})
                })
                .collect();
            let mut participant = serde_json::Map::new();
            if rng.gen_bool(0.9) {
                participant.insert("role".into(), roles[rng.gen_range(0..roles.len())].into());
            }
            if rng.gen_bool(0.8) {
                participant.insert("experience_years".into(), rng.gen_range(0..40).into());
            }
            let ballot = serde_json::json!({"participant": participant, "ratings": ratings});
            send(
                &c,
                &format!("{base}/api/v1/foresight/ballots"),
                Some(&token),
                &ballot,
                &mut retries,
            )
            .await?;
            if let Ok(mut a) = acks.lock() {
                a.push(Instant::now());
            }
            Ok((t.elapsed(), retries))
        }
    };
    // Results of an open session are withheld until the presenter reveals
    // them, which needs 5 ballots: the first five vote, the team reveals
    // (as the presenter would), then everyone else votes while the results
    // monitor watches the live tally.
    let first = usize::try_from(fs::REVEAL_MIN_BALLOTS).unwrap_or(usize::MAX);
    let mut outcomes: Vec<Result<(Duration, u32), Failure>> =
        futures::stream::iter(0..first.min(n))
            .map(&participant)
            .buffer_unordered(concurrency)
            .collect()
            .await;
    let revealed = client
        .post(format!(
            "{base}/api/v1/foresight/sessions/{}/reveal",
            created.id
        ))
        .bearer_auth(&team)
        .send()
        .await?;
    if n >= first && !revealed.status().is_success() {
        bail!(
            "the team could not reveal the results: {}",
            revealed.status()
        );
    }
    outcomes.extend(
        futures::stream::iter(first.min(n)..n)
            .map(&participant)
            .buffer_unordered(concurrency)
            .collect::<Vec<_>>()
            .await,
    );
    let elapsed = started.elapsed();
    // Let the monitors see the final state, then stop them.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    stop.store(true, Ordering::Relaxed);
    let _ = tokio::join!(m1, m2);

    let mut lat: Vec<Duration> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok().map(|(d, _)| *d))
        .collect();
    let retried: u32 = outcomes
        .iter()
        .filter_map(|o| o.as_ref().ok().map(|(_, r)| *r))
        .sum();
    let failed: Vec<&Failure> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    // Every kind of failure with how often it happened, not just the first.
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for f in &failed {
        *kinds.entry(f.to_string()).or_default() += 1;
    }
    lat.sort();
    let mut acks = acks.lock().map(|a| a.clone()).unwrap_or_default();
    acks.sort();
    let counts = count_samples.lock().map(|s| s.clone()).unwrap_or_default();
    let results = result_samples.lock().map(|s| s.clone()).unwrap_or_default();
    let count_lag = max_lag(&acks, &counts);
    let results_lag = max_lag(&acks, &results);

    let db = fs::counts(store.as_ref(), &created.id).await?;
    let s = fs::load(store.as_ref(), &created.id).await?;
    // The old way (every ballot from the store) against the live tally, same data.
    let t = Instant::now();
    let r = fs::compute_results(store.as_ref(), &s).await?;
    let recompute = t.elapsed();
    let t = Instant::now();
    let live = state.foresight.get(store.as_ref(), &s).await?;
    let live_time = t.elapsed();
    let same = serde_json::to_value(&*live)? == serde_json::to_value(&r)?;
    let api: serde_json::Value = client
        .get(format!(
            "{base}/api/v1/foresight/sessions/{}/results",
            created.id
        ))
        .bearer_auth(&team)
        .send()
        .await?
        .json()
        .await?;

    let h50 = pct(&health, 0.5);
    let l50 = pct(&lat, 0.5);
    println!(
        "  wall time             {:.1} s (deadline {deadline_secs} s)",
        elapsed.as_secs_f64()
    );
    println!(
        "  throughput            {:.0} participants/s ({:.0} requests/s)",
        lat.len() as f64 / elapsed.as_secs_f64(),
        2.0 * lat.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  join+ballot latency   p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms(l50),
        ms(pct(&lat, 0.99)),
        ms(pct(&lat, 1.0))
    );
    println!(
        "  /health latency       p50 {:.2} ms, p99 {:.2} ms ({} requests, same concurrency)",
        ms(h50),
        ms(pct(&health, 0.99)),
        health.len()
    );
    println!(
        "  ratio                 join+ballot p50 = {:.1} x /health p50",
        ms(l50) / ms(h50).max(1e-6)
    );
    println!(
        "  failed                {} ({} requests retried after a transport error)",
        failed.len(),
        retried
    );
    for (kind, count) in &kinds {
        println!("    {count} x {kind}");
    }
    println!(
        "  stored ballots        {} in the database, {} joined; results.ballots = {} (API {})",
        db.voted, db.joined, r.ballots, api["ballots"]
    );
    println!(
        "  live count lag        max {:.0} ms over {} samples",
        ms(count_lag),
        counts.len()
    );
    println!(
        "  results lag           max {:.0} ms over {} samples (live tally, no cache)",
        ms(results_lag),
        results.len()
    );
    println!(
        "  results               live tally {:.2} ms vs recompute from store {:.1} ms for {} ballots ({:.0}x); identical: {same}",
        ms(live_time),
        ms(recompute),
        r.ballots,
        ms(recompute) / ms(live_time).max(1e-6)
    );
    let n64 = n as u64;
    if !failed.is_empty()
        || db.voted != n64
        || r.ballots != n64
        || live.ballots != n64
        || api["ballots"].as_u64() != Some(n64)
    {
        bail!(
            "ballots were lost: expected {n}, stored {}, recomputed {}, live {}, API {}; {} failed",
            db.voted,
            r.ballots,
            live.ballots,
            api["ballots"],
            failed.len()
        );
    }
    if !same {
        bail!("the live tally differs from a recompute of the stored ballots");
    }
    if elapsed > Duration::from_secs(deadline_secs) {
        bail!(
            "took {:.1} s, over the {deadline_secs} s deadline",
            elapsed.as_secs_f64()
        );
    }
    if count_lag > Duration::from_secs(1) || results_lag > Duration::from_secs(1) {
        bail!("live numbers lagged more than 1 s");
    }
    println!("  OK: none lost, within the deadline, lag under 1 s");
    Ok(())
}
