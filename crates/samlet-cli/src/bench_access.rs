//! `samlet bench access`: the cost of representation on the hot path.
//!
//! One representative (a lawyer, say) acts for N persons (10,000 by default).
//! Measured in one run, each against its own yardstick:
//! - the authorization decision exactly as every represented read makes it
//!   (load the facts for the pair from the store, ask `samlet_access::decide`),
//!   against a plain primary-key store read (`person_name`);
//! - the cross-agency sharing basis check exactly as an agency's overview
//!   read makes it for a named basis (the basis from the store, then
//!   `samlet_access::decide_basis`), against the same store read;
//! - the "people I act for" list, page 1 (and a name search), over HTTP,
//!   against `GET /health` over the same connection.
//!
//! It writes an SVG plot of the six latency distributions with both goals
//! (`--plot FILE`, default next to the data dir).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use clap::Args;
use rand::{Rng, SeedableRng};
use samlet_domain::Pid;
use samlet_server::{AppState, Config};
use samlet_store::{NewRepresentation, Store};

use crate::bench::{bench_person, latency_svg, Latencies};

#[derive(Args)]
pub struct AccessArgs {
    /// SQLite data dir (a fresh temp dir when not given).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// postgres://… to measure PostgreSQL.
    #[arg(long, env = "SAMLET_BENCH_DATABASE_URL")]
    database_url: Option<String>,
    /// Persons the one representative acts for.
    #[arg(long, default_value_t = 10_000)]
    represented: usize,
    /// Decisions (and baseline reads) to time.
    #[arg(long, default_value_t = 20_000)]
    decisions: usize,
    /// List requests (and /health requests) to time.
    #[arg(long, default_value_t = 2_000)]
    requests: usize,
    /// Write the SVG plot of the latency distributions here (default:
    /// `access-bench.svg` next to the data dir, or in the working directory
    /// for PostgreSQL and temporary data).
    #[arg(long, alias = "svg")]
    plot: Option<PathBuf>,
}

/// Issue 4's goals.
const GOAL_DECISION_MS: f64 = 1.0;
const GOAL_LIST_MS: f64 = 20.0;

/// Samples taken one after another: their sum is the time they took.
fn sequential(name: &'static str, samples: Vec<Duration>) -> Latencies {
    let elapsed = samples.iter().sum();
    Latencies {
        name,
        samples,
        elapsed,
        server_cpu: None,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, s: &Latencies, b: &Latencies, goal_ms: f64) {
    let (p50, p99) = (s.pct(0.50), s.pct(0.99));
    let (b50, b99) = (b.pct(0.50), b.pct(0.99));
    let ratio = p99.as_secs_f64() / b99.as_secs_f64().max(1e-9);
    println!(
        "{name:<34} p50 {:>7.3} ms  p99 {:>7.3} ms  (goal p99 ≤ {goal_ms} ms: {})",
        ms(p50),
        ms(p99),
        if ms(p99) <= goal_ms { "met" } else { "MISSED" }
    );
    println!(
        "  against {:<26} p50 {:>7.3} ms  p99 {:>7.3} ms  → p99 ratio {ratio:.2}×",
        b.name,
        ms(b50),
        ms(b99)
    );
}

pub async fn run(a: AccessArgs) -> anyhow::Result<()> {
    let _tmp;
    let url = match (&a.database_url, &a.data_dir) {
        (Some(u), _) => u.clone(),
        (None, Some(d)) => {
            std::fs::create_dir_all(d)?;
            format!("sqlite://{}", d.join("samlet.db").display())
        }
        (None, None) => {
            let t = tempfile::tempdir()?;
            let u = format!("sqlite://{}", t.path().join("samlet.db").display());
            _tmp = t;
            u
        }
    };
    let store: Arc<dyn Store> = samlet_store::connect(&url).await?;
    // The representative is outside bench_person's range; the represented are bench_person(0..n).
    let lawyer = (0..1000)
        .find_map(|i| {
            Pid::synthetic(
                chrono::NaiveDate::from_ymd_opt(1975, 5, 5).unwrap_or_default(),
                i,
            )
        })
        .context("no synthetic pid")?;
    let existing = store
        .represented_page(lawyer.as_str(), "", Utc::now(), 0, 1)
        .await?;
    let now = Utc::now();
    if existing.is_empty() {
        let t = Instant::now();
        let mut names = Vec::with_capacity(a.represented);
        for n in 0..a.represented {
            names.push((bench_person(n).to_string(), format!("Klient {n:05} Hansen")));
        }
        store.upsert_person_names(&names, now).await?;
        for n in 0..a.represented {
            store
                .insert_representation(
                    &NewRepresentation {
                        id: format!("bench-{n}"),
                        kind: samlet_access::BasisKind::Mandate,
                        subject_pid: bench_person(n).to_string(),
                        representative_pid: lawyer.to_string(),
                        scopes: vec![
                            samlet_access::Scope::Area("tax".into()),
                            samlet_access::Scope::Area("benefits".into()),
                        ],
                        actions: vec![samlet_access::Action::Read, samlet_access::Action::Act],
                        valid_from: now - chrono::Duration::days(1),
                        valid_to: None,
                        registered_by: "citizen".into(),
                        reference: None,
                    },
                    now,
                )
                .await?;
        }
        println!(
            "loaded {} represented persons on one representative in {:.1} s",
            a.represented,
            t.elapsed().as_secs_f64()
        );
    }

    let probe = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = probe.local_addr()?;
    drop(probe);
    let state = AppState::new(store.clone(), Config::dev(addr, url.clone())).await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(4);

    // 1. The decision on the hot path, against a plain store read.
    let subjects: Vec<Pid> = (0..a.decisions)
        .map(|_| bench_person(rng.gen_range(0..a.represented)))
        .collect();
    for s in subjects.iter().take(500) {
        // Warm caches and the pool on both paths.
        let _ = store.person_name(s.as_str()).await?;
        let _ = samlet_app::represent::authorize_representative(
            store.as_ref(),
            &state.config.representation_rules,
            &lawyer,
            s,
            samlet_access::Action::Read,
            Utc::now(),
        )
        .await;
    }
    let mut base = Vec::with_capacity(subjects.len());
    let mut dec = Vec::with_capacity(subjects.len());
    for s in &subjects {
        let t = Instant::now();
        let _ = store.person_name(s.as_str()).await?;
        base.push(t.elapsed());
        let t = Instant::now();
        let ok = samlet_app::represent::authorize_representative(
            store.as_ref(),
            &state.config.representation_rules,
            &lawyer,
            s,
            samlet_access::Action::Read,
            Utc::now(),
        )
        .await;
        dec.push(t.elapsed());
        anyhow::ensure!(ok.is_ok(), "every bench person is represented");
    }
    println!(
        "\nauthorization with {} represented persons on one representative ({} decisions):",
        a.represented, a.decisions
    );
    let dec = sequential("decision (store facts + policy)", dec);
    let base = sequential("store PK read (baseline)", base);
    report(
        "decision (facts from store + policy)",
        &dec,
        &base,
        GOAL_DECISION_MS,
    );

    // 1b. The cross-agency basis check, against the same store read.
    let bases = 200usize;
    let reader = "bench-reader";
    let ids: Vec<String> = (0..bases).map(|i| format!("sb_bench_{i:04}")).collect();
    if store.sharing_basis(&ids[0]).await?.is_none() {
        for (i, id) in ids.iter().enumerate() {
            store
                .insert_sharing_basis(
                    &samlet_store::NewSharingBasis {
                        id: id.clone(),
                        reader_org: reader.into(),
                        holder_org: format!("bench-holder-{}", i % 20),
                        category: samlet_access::CATEGORIES[i % 4].into(),
                        purpose: "vurdere sykepenger".into(),
                        legal_basis: "folketrygdloven § 8-28".into(),
                        legal_ref: None,
                        valid_from: now.date_naive() - chrono::Duration::days(1),
                        valid_to: None,
                        created_by: "bench".into(),
                    },
                    now,
                )
                .await?;
            let holder = format!("bench-holder-{}", i % 20);
            store
                .accept_sharing_basis(id, &holder, &holder, now)
                .await?;
        }
    }
    let today = samlet_domain::Country::No.today(chrono::Utc::now());
    let named: Vec<&String> = (0..a.decisions)
        .map(|_| &ids[rng.gen_range(0..bases)])
        .collect();
    let check = |id: &String| {
        let store = store.as_ref();
        let id = id.clone();
        async move {
            samlet_app::sharing::basis_decision(
                store,
                reader,
                &id,
                "vurdere sykepenger",
                Utc::now(),
                today,
            )
            .await
        }
    };
    for id in named.iter().take(500) {
        let _ = check(id).await;
    }
    let mut base2 = Vec::with_capacity(named.len());
    let mut basis = Vec::with_capacity(named.len());
    for (s, id) in subjects.iter().zip(&named) {
        let t = Instant::now();
        let _ = store.person_name(s.as_str()).await?;
        base2.push(t.elapsed());
        let t = Instant::now();
        let d = check(id).await;
        basis.push(t.elapsed());
        anyhow::ensure!(
            matches!(d, Ok((samlet_access::Decision::Allow(_), _))),
            "every bench basis is accepted and valid"
        );
    }
    println!(
        "
cross-agency sharing basis check ({bases} bases, {} checks):",
        named.len()
    );
    let basis = sequential("basis check (store + policy)", basis);
    let base2 = sequential("store PK read (baseline)", base2);
    report(
        "basis check (facts from store + policy)",
        &basis,
        &base2,
        GOAL_DECISION_MS,
    );

    // The policy alone, in memory.
    let facts: Vec<samlet_access::Representation> = store
        .representations_between(lawyer.as_str(), subjects[0].as_str())
        .await?
        .iter()
        .map(samlet_app::represent::policy_representation)
        .collect();
    let t = Instant::now();
    let rounds = 1_000_000u32;
    let mut allowed = 0u32;
    for _ in 0..rounds {
        let d = samlet_access::decide(
            &samlet_access::Facts {
                representations: std::hint::black_box(&facts),
                consents: &[],
            },
            &samlet_access::Request::Represent {
                representative: lawyer.as_str(),
                subject: subjects[0].as_str(),
                action: samlet_access::Action::Read,
            },
            now,
            &samlet_access::Rules::NORWAY,
        );
        allowed += u32::from(d.is_allow());
    }
    println!(
        "policy function alone (in memory): {:.0} ns per decision ({allowed} allowed)",
        t.elapsed().as_secs_f64() * 1e9 / f64::from(rounds)
    );

    // 2. The list, page 1, over HTTP against /health.
    let (addr, _server) = samlet_server::spawn(state.clone())
        .await
        .context("server did not start")?;
    let base_url = format!("http://{addr}");
    let (session, _) = samlet_app::auth::start_session(
        state.store.as_ref(),
        &state.pseudo,
        &lawyer,
        chrono::Duration::hours(1),
        chrono::Utc::now(),
    )
    .await?;
    // The cookie a browser would send: its name is the server's HTTP interface.
    let cookie = format!("{}={session}", samlet_server::auth::SESSION_COOKIE);
    let http = reqwest::Client::new();
    let get = |path: String| {
        let http = http.clone();
        let cookie = cookie.clone();
        let url = format!("{base_url}{path}");
        async move {
            let t = Instant::now();
            let res = http
                .get(url)
                .header(reqwest::header::COOKIE, cookie)
                .send()
                .await?;
            anyhow::ensure!(res.status().is_success(), "status {}", res.status());
            let _ = res.bytes().await?;
            Ok::<Duration, anyhow::Error>(t.elapsed())
        }
    };
    for _ in 0..50 {
        get("/health".into()).await?;
        get("/api/v1/represented".into()).await?;
    }
    let (mut health, mut list, mut search) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..a.requests {
        health.push(get("/health".into()).await?);
        list.push(get("/api/v1/represented?page=1".into()).await?);
        search.push(get(format!("/api/v1/represented?q=klient%20{:03}", i % 100)).await?);
    }
    println!(
        "\n\"people I act for\" over HTTP ({} requests each):",
        a.requests
    );
    let health = sequential("GET /health (baseline)", health);
    let list = sequential("list page 1 (20 people)", list);
    let search = sequential("search by name, page 1", search);
    report("list page 1 (20 by name)", &list, &health, GOAL_LIST_MS);
    report("search by name, page 1", &search, &health, GOAL_LIST_MS);

    let plot = a
        .plot
        .clone()
        .unwrap_or_else(|| match (&a.database_url, &a.data_dir) {
            (None, Some(d)) => d.with_file_name(format!(
                "{}-access-bench.svg",
                d.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            )),
            _ => PathBuf::from("access-bench.svg"),
        });
    let title = format!(
        "Representation on {}: {} represented persons on one representative",
        store.backend(),
        a.represented
    );
    std::fs::write(
        &plot,
        latency_svg(
            &title,
            &[&base, &dec, &basis, &health, &list, &search],
            &[
                (
                    GOAL_DECISION_MS,
                    format!("decision goal: p99 ≤ {GOAL_DECISION_MS} ms"),
                ),
                (GOAL_LIST_MS, format!("list goal: p99 ≤ {GOAL_LIST_MS} ms")),
            ],
        ),
    )?;
    println!("\nplot: {}", plot.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_access_plot_shows_six_distributions_and_both_goals() {
        let l = |name, us: &[u64]| {
            sequential(name, us.iter().map(|&u| Duration::from_micros(u)).collect())
        };
        let rows = [
            l("store PK read (baseline)", &[40, 50, 60, 900]),
            l("decision (store facts + policy)", &[60, 70, 80, 1200]),
            l("basis check (store + policy)", &[50, 60, 70, 1000]),
            l("GET /health (baseline)", &[150, 200, 250, 3000]),
            l("list page 1 (20 people)", &[800, 900, 1000, 9000]),
            l("search by name, page 1", &[2000, 2500, 3000, 15000]),
        ];
        let refs: Vec<&Latencies> = rows.iter().collect();
        let svg = latency_svg(
            "t",
            &refs,
            &[
                (GOAL_DECISION_MS, "decision goal: p99 ≤ 1 ms".into()),
                (GOAL_LIST_MS, "list goal: p99 ≤ 20 ms".into()),
            ],
        );
        assert_eq!(svg.matches("<polyline").count(), 6);
        assert!(
            svg.contains("decision goal: p99 ≤ 1 ms") && svg.contains("list goal: p99 ≤ 20 ms")
        );
        assert!(
            svg.contains("decision (store facts + policy): p50 0.08 ms"),
            "{svg}"
        );
        // The fastest samples (40 µs) are on the axis, not clipped: it starts at 0.01 ms.
        assert!(svg.contains(">0.01 ms<"), "{svg}");
        assert!(svg.ends_with("</svg>"));
    }
}
