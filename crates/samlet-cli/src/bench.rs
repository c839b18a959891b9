//! `samlet bench`: performance figures measured against the real server on
//! loopback, each printed with a ratio against a baseline measured in the
//! same run (our convention: no absolute claim without its yardstick).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use rand::{Rng, SeedableRng};
use samlet_domain::*;
use samlet_server::{AppState, Config};
use samlet_store::{Item, Session, Store};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Durable bulk ingest through the HTTP API (records/s), against direct store ingest.
    Ingest(IngestArgs),
    /// Overview reads under concurrent load (p50/p99, req/s), against /health.
    Overview(OverviewArgs),
    /// Foresight: 10,000 participants join and vote; none lost, live-count and results lag.
    Foresight(crate::bench_foresight::ForesightArgs),
    /// Transparency log: durable appends/s (against raw SHA-256) and proof latency.
    Log(crate::bench_log::LogArgs),
    // Representation and consent.
    /// Representation: authorization decision cost and the "people I act for" list with 10,000
    /// represented persons, against a store read and /health.
    Access(crate::bench_access::AccessArgs),
}

#[derive(Args)]
pub struct Target {
    /// SQLite data dir (a fresh temp dir when neither this nor --database-url is given).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// postgres://… to measure PostgreSQL.
    #[arg(long, env = "SAMLET_BENCH_DATABASE_URL")]
    database_url: Option<String>,
}

impl Target {
    fn url(&self) -> anyhow::Result<(String, Option<tempfile::TempDir>)> {
        if let Some(u) = &self.database_url {
            return Ok((u.clone(), None));
        }
        match &self.data_dir {
            Some(d) => {
                std::fs::create_dir_all(d)?;
                Ok((format!("sqlite://{}", d.join("samlet.db").display()), None))
            }
            None => {
                let t = tempfile::tempdir()?;
                Ok((
                    format!("sqlite://{}", t.path().join("samlet.db").display()),
                    Some(t),
                ))
            }
        }
    }
}

#[derive(Args)]
pub struct IngestArgs {
    #[command(flatten)]
    target: Target,
    /// Records to ingest in each of the two measurements.
    #[arg(long, default_value_t = 200_000)]
    records: usize,
    /// Lines per bulk upload.
    #[arg(long, default_value_t = 5_000)]
    batch: usize,
    /// Concurrent uploading clients.
    #[arg(long, default_value_t = 2)]
    clients: usize,
}

#[derive(Args)]
pub struct OverviewArgs {
    #[command(flatten)]
    target: Target,
    /// Persons to load (skipped when the database already holds them).
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// Records per person (cases, deadlines, benefits and messages mixed).
    #[arg(long, default_value_t = 20)]
    records_per_person: usize,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 15)]
    seconds: u64,
    /// Write the SVG plot of the latency distributions here (default:
    /// `overview-bench.svg` next to the data dir, or in the working
    /// directory for PostgreSQL and temporary data).
    #[arg(long, alias = "svg")]
    plot: Option<PathBuf>,
    /// Run the server inside the bench's own process and runtime instead of
    /// as a separate `samlet serve` process (faster to start, but client and
    /// server then share one scheduler, which no real deployment does).
    #[arg(long)]
    in_process: bool,
}

pub async fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    match cmd {
        BenchCommand::Ingest(a) => ingest(a).await,
        BenchCommand::Overview(a) => overview(a).await,
        BenchCommand::Foresight(a) => crate::bench_foresight::run(a).await,
        BenchCommand::Log(a) => crate::bench_log::run(a).await,
        BenchCommand::Access(a) => crate::bench_access::run(a).await,
    }
}

/// Deterministic synthetic person number `n` (distinct for distinct n):
/// the (n % 400)-th valid individual number on day n / 400 from 1 Jan 1940.
pub fn bench_person(n: usize) -> Pid {
    thread_local! {
        static DAY: std::cell::RefCell<(usize, Vec<Pid>)> = const { std::cell::RefCell::new((usize::MAX, Vec::new())) };
    }
    const PER_DAY: usize = 400;
    DAY.with(|cache| {
        let mut cache = cache.borrow_mut();
        let day_no = n / PER_DAY;
        if cache.0 != day_no {
            let day = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default()
                + chrono::Duration::days(day_no as i64);
            // About 490 of the 1,000 individual numbers give a valid 1900s number.
            cache.1 = (0..1000)
                .filter_map(|i| Pid::synthetic(day, i))
                .take(PER_DAY)
                .collect();
            cache.0 = day_no;
        }
        cache.1[n % PER_DAY].clone()
    })
}

fn item(n: usize, pid: &Pid) -> anyhow::Result<Item> {
    let id = format!("R{n}");
    Ok(match n % 4 {
        0 => Item::Deadline(ValidDeadline {
            pid: pid.clone(),
            deadline_id: id,
            title: "Send meldekort".into(),
            due: Due {
                date: NaiveDate::from_ymd_opt(2026, 1 + (n % 12) as u32, 1 + (n % 28) as u32)
                    .unwrap_or_default(),
                at: None,
            },
            case_id: None,
            url: None,
        }),
        1 => Item::Benefit(ValidBenefit {
            pid: pid.clone(),
            benefit_id: id,
            name: "Barnetrygd".into(),
            amount: Money { minor: 176_600 },
            currency: Currency::parse("NOK").map_err(|e| anyhow::anyhow!("{e}"))?,
            next_payment: NaiveDate::from_ymd_opt(2026, 12, 20),
        }),
        2 => Item::Message(ValidMessage {
            pid: pid.clone(),
            message_id: id,
            subject: "Vedtak".into(),
            body: "Du har fått innvilget søknaden.".into(),
        }),
        _ => Item::Case(ValidCase {
            pid: pid.clone(),
            case_id: id,
            title: "Søknad om dagpenger".into(),
            status: CaseStatus::InProgress,
            service: Some("dagpenger".into()),
            opened_at: Utc::now(),
            url: None,
        }),
    })
}

fn ndjson_line(n: usize, pid: &Pid) -> String {
    let p = pid.as_str();
    match n % 4 {
        0 => format!(
            r#"{{"kind":"deadline","pid":"{p}","deadline_id":"H{n}","title":"Send meldekort","due":"2026-06-01"}}"#
        ),
        1 => format!(
            r#"{{"kind":"benefit","pid":"{p}","benefit_id":"H{n}","name":"Barnetrygd","amount":"1766.00","currency":"NOK","next_payment":"2026-12-20"}}"#
        ),
        2 => format!(
            r#"{{"kind":"message","pid":"{p}","message_id":"H{n}","subject":"Vedtak","body":"Du har fått innvilget søknaden."}}"#
        ),
        _ => format!(
            r#"{{"kind":"case","pid":"{p}","case_id":"H{n}","title":"Søknad om dagpenger","status":"in_progress"}}"#
        ),
    }
}

async fn start_server(
    store: Arc<dyn Store>,
    url: String,
) -> anyhow::Result<(String, tokio::task::JoinHandle<anyhow::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let mut config = Config {
        login_per_minute: 1_000_000,
        ..Config::dev(addr, url)
    };
    config.listening_at(addr);
    let state = AppState::new(store, config).await?;
    let h = samlet_server::spawn_on(listener, state);
    Ok((format!("http://{addr}"), h))
}

/// The server under measurement.
enum Server {
    InProcess(tokio::task::JoinHandle<anyhow::Result<()>>),
    Child(tokio::process::Child),
}

impl Server {
    fn pid(&self) -> Option<u32> {
        match self {
            Server::InProcess(_) => None,
            Server::Child(c) => c.id(),
        }
    }

    async fn stop(self) {
        match self {
            Server::InProcess(h) => h.abort(),
            Server::Child(mut c) => {
                let _ = c.kill().await;
            }
        }
    }
}

/// Start `samlet serve --allow-synthetic-pids` (this same binary) on a free loopback port
/// and wait until it answers `/ready`. Its log goes to a file beside the
/// data (or the temp dir), not to the bench's terminal.
async fn spawn_serve(
    target: &Target,
    url: &str,
) -> anyhow::Result<(String, tokio::process::Child)> {
    let exe = std::env::current_exe().context("finding the samlet binary")?;
    let log_path = match &target.data_dir {
        Some(d) => d.join("bench-server.log"),
        None => std::env::temp_dir().join("samlet-bench-server.log"),
    };
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("creating {}", log_path.display()))?;
    let mut cmd = tokio::process::Command::new(exe);
    cmd.arg("serve")
        // Port 0: the server binds a free port once and prints its URL.
        .arg("--listen")
        .arg("127.0.0.1:0")
        // Synthetic persons without dev mode: `--dev` is refused beside a
        // PostgreSQL database, and the bench logs in through stored sessions.
        .arg("--allow-synthetic-pids")
        .env("SAMLET_DATABASE_URL", url)
        .env_remove("SAMLET_DATA_DIR")
        // The printed URL is where the bench connects: the bound one.
        .env_remove("SAMLET_PUBLIC_URL")
        // The production default, whatever the bench's own shell says: a
        // request log line costs the server about as much as answering
        // /health does, and production writes one for every request.
        .env("SAMLET_LOG", crate::DEFAULT_LOG_FILTER)
        .env("SAMLET_LOG_FORMAT", "json")
        .env(
            "SAMLET_SECRET",
            "bench-secret-only-for-the-overview-benchmark",
        )
        .stdout(std::process::Stdio::piped())
        .stderr(log)
        .kill_on_drop(true);
    match &target.data_dir {
        Some(d) => {
            cmd.arg("--data-dir").arg(d);
        }
        None => {
            let key = samlet_merkle::SignerKey::generate("bench.invalid/log")
                .map_err(|e| anyhow::anyhow!("bench log key: {e}"))?;
            cmd.env("SAMLET_LOG_KEY", key.to_private_string());
        }
    }
    let mut child = cmd.spawn().context("starting samlet serve")?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let base = match child.stdout.take() {
        Some(out) => tokio::time::timeout(Duration::from_secs(60), serving_at(out))
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let Some(base) = base else {
        anyhow::bail!(
            "samlet serve did not say where it listens; see {}",
            log_path.display()
        );
    };
    let http = reqwest::Client::new();
    loop {
        if let Some(status) = child.try_wait()? {
            anyhow::bail!(
                "samlet serve exited with {status} before it was ready; see {}",
                log_path.display()
            );
        }
        if let Ok(r) = http.get(format!("{base}/ready")).send().await {
            if r.status().is_success() {
                return Ok((base, child));
            }
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "samlet serve was not ready within 60 s; see {}",
            log_path.display()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The base URL from `samlet serve`'s "Samlet is running at URL/" line;
/// the rest of its output is read and dropped so it never blocks on a
/// full pipe.
async fn serving_at(out: tokio::process::ChildStdout) -> Option<String> {
    use tokio::io::AsyncBufReadExt;
    let mut lines = tokio::io::BufReader::new(out).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if let Some(url) = line.strip_prefix("Samlet is running at ") {
            let base = url.trim_end_matches('/').to_owned();
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return Some(base);
        }
    }
    None
}

fn bar(len: u64, msg: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template(
            "{msg:>12} [{elapsed_precise}] {wide_bar} {pos}/{len} ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(msg.to_owned());
    pb
}

async fn ingest(a: IngestArgs) -> anyhow::Result<()> {
    let (url, _tmp) = a.target.url()?;
    let store = samlet_store::connect(&url).await?;
    let backend = store.backend();
    // About one in eleven 8-digit prefixes has no valid check digit: draw again.
    let org = std::iter::repeat_with(|| {
        OrgNumber::with_check_digit(&format!("9{:07}", rand::random::<u32>() % 10_000_000))
    })
    .flatten()
    .next()
    .context("org")?;
    let agency = store.create_agency(&org, "Benchmark").await?;
    let token = crate::demo::issue_dev_token(store.as_ref(), &agency).await?;
    let persons: Vec<Pid> = (0..10_000).map(bench_person).collect();

    // Baseline: the same number of records straight into the store, same batch size.
    let pb = bar(a.records as u64, "store");
    let t = Instant::now();
    let mut n = 0;
    while n < a.records {
        let end = (n + a.batch).min(a.records);
        let items = (n..end)
            .map(|i| item(i, &persons[i % persons.len()]))
            .collect::<anyhow::Result<Vec<_>>>()?;
        store.ingest(agency.id, items).await?;
        pb.inc((end - n) as u64);
        n = end;
    }
    pb.finish_and_clear();
    let direct = a.records as f64 / t.elapsed().as_secs_f64();

    // Measured: NDJSON over HTTP, durable when each response arrives.
    let (base, server) = start_server(store.clone(), url.clone()).await?;
    let bodies: Vec<String> = (0..a.records)
        .collect::<Vec<_>>()
        .chunks(a.batch)
        .map(|c| {
            c.iter()
                .map(|&i| ndjson_line(i, &persons[i % persons.len()]))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let http = reqwest::Client::new();
    let pb = bar(a.records as u64, "http bulk");
    let queue = Arc::new(tokio::sync::Mutex::new(bodies.into_iter()));
    let t = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..a.clients {
        let (queue, http, base, token, pb) = (
            queue.clone(),
            http.clone(),
            base.clone(),
            token.clone(),
            pb.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(body) = queue.lock().await.next() else {
                    return Ok::<_, anyhow::Error>(());
                };
                let r = http
                    .post(format!("{base}/api/v1/bulk"))
                    .bearer_auth(&token)
                    .header("content-type", "application/x-ndjson")
                    .body(body)
                    .send()
                    .await?;
                anyhow::ensure!(r.status().is_success(), "bulk failed: {}", r.status());
                let v: serde_json::Value = r.json().await?;
                let accepted = v["accepted"].as_u64().unwrap_or(0);
                anyhow::ensure!(v["rejected"] == 0, "rejected lines: {}", v["lines"]);
                pb.inc(accepted);
            }
        }));
    }
    for t in tasks {
        t.await??;
    }
    let via_http = a.records as f64 / t.elapsed().as_secs_f64();
    pb.finish_and_clear();
    server.abort();
    println!(
        "bulk ingest on {backend}: {} records in batches of {}, {} clients",
        a.records, a.batch, a.clients
    );
    println!("  HTTP NDJSON, durable      {via_http:>10.0} records/s");
    println!("  baseline: Store::ingest   {direct:>10.0} records/s");
    println!("  ratio HTTP/baseline       {:>10.2}", via_http / direct);
    Ok(())
}

/// One endpoint's (or operation's) latency samples, and the wall time they took.
pub(crate) struct Latencies {
    pub(crate) name: &'static str,
    pub(crate) samples: Vec<Duration>,
    pub(crate) elapsed: Duration,
    /// CPU time the server process spent during the measurement, when known.
    pub(crate) server_cpu: Option<Duration>,
}

impl Latencies {
    pub(crate) fn pct(&self, p: f64) -> Duration {
        let mut s = self.samples.clone();
        s.sort();
        s.get(((s.len() as f64 * p) as usize).min(s.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    }
    pub(crate) fn rps(&self) -> f64 {
        self.samples.len() as f64 / self.elapsed.as_secs_f64()
    }
}

impl Latencies {
    fn absorb(&mut self, other: Latencies) {
        self.samples.extend(other.samples);
        self.elapsed += other.elapsed;
        self.server_cpu = match (self.server_cpu, other.server_cpu) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }

    /// Server CPU time per request, in microseconds.
    fn cpu_per_request_us(&self) -> Option<f64> {
        let n = self.samples.len().max(1) as f64;
        self.server_cpu.map(|c| c.as_secs_f64() * 1e6 / n)
    }
}

/// One keep-alive HTTP/1.1 connection of the load generator.
///
/// The generator speaks to hyper's connection API directly, not through
/// reqwest: reqwest's pool, redirect and decompression layers cost about a
/// third of a core at these rates on a 2-core machine, CPU the server under
/// test then lacks. Each connection is driven inside its client's own task,
/// so a response wakes one task, as with a real client process.
struct Conn {
    sender: hyper::client::conn::http1::SendRequest<http_body_util::Empty<hyper::body::Bytes>>,
    driver: std::pin::Pin<
        Box<
            hyper::client::conn::http1::Connection<
                hyper_util::rt::TokioIo<tokio::net::TcpStream>,
                http_body_util::Empty<hyper::body::Bytes>,
            >,
        >,
    >,
}

impl Conn {
    async fn open(addr: std::net::SocketAddr) -> anyhow::Result<Self> {
        let tcp = tokio::net::TcpStream::connect(addr).await?;
        tcp.set_nodelay(true)?;
        let (sender, driver) =
            hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp)).await?;
        Ok(Self {
            sender,
            driver: Box::pin(driver),
        })
    }

    /// GET `path`, read the whole body; fails on a non-2xx answer.
    async fn get(&mut self, path: &str, cookie: Option<&str>) -> anyhow::Result<()> {
        use http_body_util::BodyExt;
        let mut req = hyper::Request::get(path).header("host", "127.0.0.1");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let req = req.body(http_body_util::Empty::new())?;
        let Conn { sender, driver } = self;
        let work = async {
            let r = sender.send_request(req).await?;
            let status = r.status();
            r.into_body().collect().await?;
            anyhow::ensure!(status.is_success(), "{path} answered {status}");
            Ok(())
        };
        tokio::select! {
            out = work => out,
            end = driver.as_mut() => {
                end?;
                anyhow::bail!("the server closed the connection")
            }
        }
    }
}

/// `clients` keep-alive connections per endpoint, reused across slices, so
/// no slice pays for new connections.
async fn connections(addr: std::net::SocketAddr, clients: usize) -> anyhow::Result<Vec<Conn>> {
    let mut out = Vec::with_capacity(clients);
    for _ in 0..clients {
        out.push(Conn::open(addr).await?);
    }
    Ok(out)
}

/// Every connection sends requests back to back for `seconds` (a closed
/// loop, like 64 browsers each waiting for their answer).
async fn load(
    conns: &mut Vec<Conn>,
    path: &'static str,
    name: &'static str,
    cookies: &Arc<Vec<String>>,
    seconds: u64,
) -> anyhow::Result<Latencies> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    let start = Instant::now();
    for (c, mut conn) in conns.drain(..).enumerate() {
        let (stop, cookies) = (stop.clone(), cookies.clone());
        tasks.push(tokio::spawn(async move {
            let mut rng = rand::rngs::StdRng::seed_from_u64(c as u64);
            let mut out = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let cookie = (!cookies.is_empty())
                    .then(|| cookies[rng.gen_range(0..cookies.len())].as_str());
                let t = Instant::now();
                conn.get(path, cookie).await?;
                out.push(t.elapsed());
            }
            Ok::<_, anyhow::Error>((conn, out))
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut samples = Vec::new();
    for t in tasks {
        let (conn, out) = t.await??;
        conns.push(conn);
        samples.extend(out);
    }
    Ok(Latencies {
        name,
        samples,
        elapsed: start.elapsed(),
        server_cpu: None,
    })
}

/// User plus system CPU time of process `pid` so far (Linux `/proc`), for
/// the server's CPU cost per request: a figure that, unlike latency, holds
/// steady when other work shares the machine.
fn process_cpu(pid: Option<u32>) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid?)).ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields of the whole line, in clock ticks (100 per second
    // on Linux).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

/// [`load`], with the server process's CPU time over the slice.
async fn measured(
    server_pid: Option<u32>,
    conns: &mut Vec<Conn>,
    path: &'static str,
    cookies: &Arc<Vec<String>>,
    seconds: u64,
) -> anyhow::Result<Latencies> {
    let before = process_cpu(server_pid);
    let mut l = load(conns, path, path, cookies, seconds).await?;
    l.server_cpu = match (before, process_cpu(server_pid)) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a)),
        _ => None,
    };
    Ok(l)
}

async fn overview(a: OverviewArgs) -> anyhow::Result<()> {
    let (url, _tmp) = a.target.url()?;
    let store = samlet_store::connect(&url).await?;
    let backend = store.backend();
    let last = bench_person(a.persons.saturating_sub(1));
    let loaded = !store
        .overview(last.as_str(), Default::default())
        .await?
        .deadlines
        .is_empty();
    if loaded {
        println!("data already loaded: skipping the load");
    } else {
        let org = OrgNumber::with_check_digit("91234568").context("org")?;
        let agency = match store.agency_by_org(&org).await? {
            Some(a) => a,
            None => store.create_agency(&org, "Benchmark").await?,
        };
        let total = a.persons * a.records_per_person;
        let pb = bar(total as u64, "loading");
        let chunk = 10_000;
        let mut n = 0;
        while n < total {
            let end = (n + chunk).min(total);
            // Record i belongs to person i / records_per_person, so each person gets a full mix.
            let items = (n..end)
                .map(|i| item(i, &bench_person(i / a.records_per_person)))
                .collect::<anyhow::Result<Vec<_>>>()?;
            store.ingest(agency.id, items).await?;
            pb.inc((end - n) as u64);
            n = end;
        }
        pb.finish_with_message("loaded");
    }
    // Sessions for 1,000 random persons: the clients read different overviews.
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let persons: Vec<Pid> = (0..1000)
        .map(|_| bench_person(rng.gen_range(0..a.persons)))
        .collect();
    let mut cookies = Vec::new();
    for pid in &persons {
        let id = samlet_app::auth::random_token("");
        let s = Session {
            pid: pid.to_string(),
            csrf: "x".into(),
            expires_at: Utc::now() + chrono::Duration::hours(2),
        };
        store
            .create_session(&samlet_app::auth::token_hash(&id), &s)
            .await?;
        cookies.push(format!("samlet_session={id}"));
    }
    // The store's own cost of one overview, on this thread, as a yardstick
    // for what the HTTP layers add.
    // Measured over the same persons as the clients read, after one pass
    // to bring their pages into the cache.
    let direct = {
        for pid in &persons {
            store.overview(pid.as_str(), Default::default()).await?;
        }
        let t = Instant::now();
        for pid in persons.iter().chain(&persons) {
            store.overview(pid.as_str(), Default::default()).await?;
        }
        t.elapsed() / (2 * persons.len() as u32)
    };
    // The server runs as its own `samlet serve` process, as in production,
    // so that the load generator's tasks do not queue in the server's
    // scheduler and the server runs with the runtime `serve` really uses.
    let (base, server) = if a.in_process {
        let (base, h) = start_server(store.clone(), url).await?;
        (base, Server::InProcess(h))
    } else {
        let (base, child) = spawn_serve(&a.target, &url).await?;
        (base, Server::Child(child))
    };
    // Baseline and measurement alternate in one-second slices, so on a
    // shared machine both see the same background load; warm up first.
    let addr: std::net::SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .context("server address")?;
    let pid = server.pid();
    let seconds = a.seconds;
    let clients = a.clients;
    // The load generator gets a runtime of its own on one thread: as a
    // separate client process would, it then neither shares the server's
    // scheduler (in-process mode) nor adds more runnable threads than the
    // two cores can take turns on without long waits.
    let (health, over) = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let (mut health_conns, mut over_conns) = (
                connections(addr, clients).await?,
                connections(addr, clients).await?,
            );
            let (no_cookies, cookies) = (Arc::new(Vec::new()), Arc::new(cookies));
            let health_path = "/health";
            let over_path = "/api/v1/me/overview";
            load(&mut health_conns, health_path, health_path, &no_cookies, 1).await?;
            load(&mut over_conns, over_path, over_path, &cookies, 2).await?;
            let mut health = measured(pid, &mut health_conns, health_path, &no_cookies, 1).await?;
            let mut over = measured(pid, &mut over_conns, over_path, &cookies, 1).await?;
            for _ in 1..seconds {
                health.absorb(measured(pid, &mut health_conns, health_path, &no_cookies, 1).await?);
                over.absorb(measured(pid, &mut over_conns, over_path, &cookies, 1).await?);
            }
            Ok::<_, anyhow::Error>((health, over))
        })
    })
    .join()
    .map_err(|_| anyhow::anyhow!("the load generator panicked"))??;
    server.stop().await;
    println!(
        "overview reads on {backend}: {} persons x {} records, {} clients, {} s each (alternating 1 s slices)",
        a.persons, a.records_per_person, a.clients, a.seconds
    );
    for l in [&health, &over] {
        println!(
            "  {:<22} p50 {:>7.2} ms  p99 {:>7.2} ms  {:>9.0} req/s",
            l.name,
            l.pct(0.50).as_secs_f64() * 1e3,
            l.pct(0.99).as_secs_f64() * 1e3,
            l.rps()
        );
    }
    println!(
        "  baseline: Store::overview on one thread, {:.0} µs per overview",
        direct.as_secs_f64() * 1e6
    );
    if let (Some(h), Some(o)) = (health.cpu_per_request_us(), over.cpu_per_request_us()) {
        println!("  server CPU per request: /health {h:.0} µs, overview {o:.0} µs");
    }
    let ratio = over.rps() / health.rps();
    println!("  ratio overview/health req/s: {ratio:.2}");
    println!(
        "  goals: overview p99 <= {GOAL_P99_MS} ms ({}), ratio >= {GOAL_RATIO} ({})",
        if over.pct(0.99).as_secs_f64() * 1e3 <= GOAL_P99_MS {
            "met"
        } else {
            "missed"
        },
        if ratio >= GOAL_RATIO { "met" } else { "missed" },
    );
    let plot = a
        .plot
        .unwrap_or_else(|| match (&a.target.database_url, &a.target.data_dir) {
            (None, Some(d)) => d.with_file_name(format!(
                "{}-overview-bench.svg",
                d.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            )),
            _ => PathBuf::from("overview-bench.svg"),
        });
    let title = format!(
        "Overview reads on {backend}: {} persons x {} records, {} clients; ratio {ratio:.2}",
        a.persons, a.records_per_person, a.clients
    );
    std::fs::write(
        &plot,
        latency_svg(
            &title,
            &[&health, &over],
            &[(GOAL_P99_MS, format!("goal: p99 ≤ {GOAL_P99_MS} ms"))],
        ),
    )?;
    println!("  plot: {}", plot.display());
    Ok(())
}

/// Issue 2's goals for the overview bench.
const GOAL_P99_MS: f64 = 20.0;
const GOAL_RATIO: f64 = 0.25;

/// The latency distribution of each endpoint as a CDF on a logarithmic
/// time axis, with the p99 goals marked. Hand-written: a few polylines do
/// not justify a plotting dependency. Used by `bench overview` and `bench access`.
pub(crate) fn latency_svg(title: &str, rows: &[&Latencies], goals: &[(f64, String)]) -> String {
    const W: f64 = 720.0;
    const H: f64 = 420.0;
    const L: f64 = 60.0; // plot area left, right, top, bottom
    const R: f64 = 670.0;
    const T: f64 = 50.0;
    const B: f64 = 360.0;
    let colors = [
        "#6b7280", "#1e6fd9", "#b45309", "#047857", "#7c3aed", "#be123c",
    ];
    let ms_of = |d: &Duration| d.as_secs_f64() * 1e3;
    let max_ms = rows
        .iter()
        .filter_map(|l| l.samples.iter().max())
        .map(ms_of)
        .chain(goals.iter().map(|g| g.0))
        .fold(1.0, f64::max);
    let min_ms = rows
        .iter()
        .filter_map(|l| l.samples.iter().min())
        .map(ms_of)
        .fold(0.1, f64::min);
    // Decades from the fastest sample (at most 0.1 ms, at least 1 µs) to the slowest.
    let (lo, hi) = (
        min_ms.max(1e-3).log10().floor(),
        max_ms.log10().ceil().max(1.0),
    );
    let x = |ms: f64| L + (ms.max(10_f64.powf(lo)).log10() - lo) / (hi - lo) * (R - L);
    // "Nines" scale: 0.9, 0.99 and 0.999 evenly spaced, so the tail shows.
    let y = |q: f64| B - (-(1.0 - q).max(1e-3).log10()) / 3.0 * (B - T);
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img" aria-labelledby="t"><title id="t">{title}</title><style>text{{font:12px sans-serif;fill:#1a1a1a}}</style><rect width="{W}" height="{H}" fill="#fff"/><text x="{L}" y="18" style="font-weight:bold">{title}</text>"##
    );
    // Axes and grid.
    let mut d = lo as i32;
    while f64::from(d) <= hi {
        let ms = 10_f64.powi(d);
        let xx = x(ms);
        s.push_str(&format!(
            r##"<line x1="{xx:.1}" y1="{T}" x2="{xx:.1}" y2="{B}" stroke="#e5e7eb"/><text x="{xx:.1}" y="{}" text-anchor="middle">{ms} ms</text>"##,
            B + 16.0
        ));
        d += 1;
    }
    for q in [0.0, 0.5, 0.9, 0.99, 0.999] {
        let yy = y(q);
        s.push_str(&format!(
            r##"<line x1="{L}" y1="{yy:.1}" x2="{R}" y2="{yy:.1}" stroke="#e5e7eb"/><text x="{}" y="{:.1}" text-anchor="end">{q}</text>"##,
            L - 6.0,
            yy + 4.0
        ));
    }
    s.push_str(&format!(
        r##"<text x="{}" y="{}" text-anchor="middle">latency (log scale)</text><text x="14" y="{}" transform="rotate(-90 14 {})" text-anchor="middle">fraction of requests at most this fast</text>"##,
        (L + R) / 2.0,
        B + 34.0,
        (T + B) / 2.0,
        (T + B) / 2.0
    ));
    for (i, (goal_ms, label)) in goals.iter().enumerate() {
        let gx = x(*goal_ms);
        s.push_str(&format!(
            r##"<line x1="{gx:.1}" y1="{T}" x2="{gx:.1}" y2="{B}" stroke="#b91c1c" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}" fill="#b91c1c">{label}</text>"##,
            gx + 4.0,
            // Above the plot area, clear of the legend; staggered when goals sit close.
            T - 6.0 - 14.0 * (i % 2) as f64
        ));
    }
    // The curves first, then the legend on a light backing so it stays readable over them.
    let mut legend = format!(
        r##"<rect x="{}" y="{}" width="430" height="{}" fill="#fff" fill-opacity="0.85"/>"##,
        L + 4.0,
        T + 2.0,
        18.0 * rows.len() as f64 + 8.0
    );
    for (i, l) in rows.iter().enumerate() {
        let mut sorted = l.samples.clone();
        sorted.sort();
        let n = sorted.len();
        let points: Vec<String> = (0..=300)
            .filter_map(|k| {
                let q = 1.0 - 10_f64.powf(-f64::from(k) / 100.0);
                let idx = ((n as f64 * q) as usize).min(n.checked_sub(1)?);
                Some(format!(
                    "{:.1},{:.1}",
                    x(sorted[idx].as_secs_f64() * 1e3),
                    y(q)
                ))
            })
            .collect();
        let color = colors[i % colors.len()];
        s.push_str(&format!(
            r##"<polyline fill="none" stroke="{color}" stroke-width="2" points="{}"/>"##,
            points.join(" ")
        ));
        legend.push_str(&format!(
            r##"<rect x="{}" y="{}" width="12" height="12" fill="{color}"/><text x="{}" y="{}">{}: p50 {:.2} ms, p99 {:.2} ms, {:.0} req/s</text>"##,
            L + 10.0,
            T + 8.0 + 18.0 * i as f64,
            L + 26.0,
            T + 18.0 + 18.0 * i as f64,
            l.name,
            l.pct(0.5).as_secs_f64() * 1e3,
            l.pct(0.99).as_secs_f64() * 1e3,
            l.rps()
        ));
    }
    s.push_str(&legend);
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_plot_draws_each_endpoint_and_the_goal() {
        let lat = |name, ms: &[u64]| Latencies {
            name,
            samples: ms.iter().map(|&m| Duration::from_micros(m * 100)).collect(),
            elapsed: Duration::from_secs(1),
            server_cpu: Some(Duration::from_millis(5)),
        };
        let h = lat("/health", &[10, 20, 30, 40, 900]);
        let o = lat("/api/v1/me/overview", &[50, 60, 70, 80, 2500]);
        let svg = latency_svg("t", &[&h, &o], &[(20.0, "goal: p99 ≤ 20 ms".into())]);
        if let Ok(path) = std::env::var("SAMLET_PLOT_SAMPLE") {
            std::fs::write(path, &svg).unwrap();
        }
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("goal: p99 ≤ 20 ms"));
        assert!(svg.contains("/api/v1/me/overview: p50 7.00 ms"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn cpu_per_request_divides_the_server_time_by_the_requests() {
        let mut a = Latencies {
            name: "x",
            samples: vec![Duration::from_millis(1); 100],
            elapsed: Duration::from_secs(1),
            server_cpu: Some(Duration::from_millis(20)),
        };
        assert_eq!(a.cpu_per_request_us(), Some(200.0));
        a.absorb(Latencies {
            name: "x",
            samples: vec![Duration::from_millis(1); 100],
            elapsed: Duration::from_secs(1),
            server_cpu: None,
        });
        assert_eq!(
            a.cpu_per_request_us(),
            None,
            "unknown once a slice is unknown"
        );
        // This process's own CPU time is readable and grows.
        let me = Some(std::process::id());
        let before = process_cpu(me).unwrap();
        let t = Instant::now();
        let mut x = 0u64;
        while t.elapsed() < Duration::from_millis(60) {
            x = x.wrapping_mul(31).wrapping_add(7);
        }
        assert!(x != 1 || before > Duration::ZERO);
        assert!(process_cpu(me).unwrap() > before);
        assert_eq!(process_cpu(Some(u32::MAX)), None);
    }

    #[test]
    fn bench_persons_are_distinct_and_valid() {
        let mut seen = std::collections::HashSet::new();
        for n in 0..20_000 {
            let p = bench_person(n);
            assert!(Pid::parse(p.as_str(), PidPolicy::TEST).is_ok());
            assert!(seen.insert(p.to_string()), "person {n} repeats");
        }
    }
}
