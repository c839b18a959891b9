//! `samlet`: one binary for the server, the demo, agency administration and
//! benchmarks. `anyhow` lives here, at the edge; the libraries use typed errors.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use samlet_domain::{OrgNumber, PidPolicy, ScopeSet};
use samlet_server::{AppState, Config, OidcConfig};
use secrecy::{ExposeSecret, SecretString};

/// mimalloc rather than glibc's malloc: the server allocates many small,
/// short-lived buffers per request, and glibc's free-list consolidation was
/// an eighth of the server's CPU in the overview benchmark's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod bench_foresight;
mod bench_log;
mod demo;
// Representation and consent.
mod agency_areas;
mod basis;
mod bench_access;
mod demo_represent;
mod foresight;
mod journeys;
mod log;
mod rules;
// Life events, second step.
mod offers;

#[derive(Parser)]
#[command(name = "samlet", version, about = "One overview of the public sector")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the server with SQLite, demo agencies, demo persons and dev login; prints the URL.
    Demo {
        #[arg(long, env = "SAMLET_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Where the demo database lives (created and filled on first run).
        #[arg(long, env = "SAMLET_DATA_DIR", default_value = "data/demo")]
        data_dir: PathBuf,
    },
    /// Run the server.
    // Boxed: its many flags would make every other command as large.
    Serve(Box<ServeArgs>),
    /// Register and inspect agencies.
    #[command(subcommand)]
    Agency(AgencyCommand),
    /// Registered sharing bases between agencies: add, list, revoke.
    #[command(subcommand)]
    Basis(basis::BasisCommand),
    /// Measure ingest and overview performance (prints ratios against a baseline).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Foresight: evaluation sessions, results, reports and the library of driving forces and trends.
    #[command(subcommand)]
    Foresight(foresight::ForesightCommand),
    /// Rules as code: test, explain, list inputs, run over a population.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Life events: check the journey catalogue, show a personal checklist.
    #[command(subcommand)]
    Journeys(journeys::JourneysCommand),
    /// The transparency log: verify it over HTTP, run retention.
    #[command(subcommand)]
    Log(log::LogCommand),
    // Life events, second step: offers after a rule change (offers.rs).
    /// Proactive offers: evaluate a changed rule set again and offer to the newly entitled.
    #[command(subcommand)]
    Offers(offers::OffersCommand),
}

/// Where the data is: `--data-dir` (SQLite) or `--database-url`.
#[derive(Args, Clone)]
pub(crate) struct DbArgs {
    /// Directory for the SQLite database and the secret key.
    #[arg(long, env = "SAMLET_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// `postgres://…` for production, or `sqlite://…`.
    #[arg(long, env = "SAMLET_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

impl DbArgs {
    pub(crate) fn url(&self) -> anyhow::Result<String> {
        match (&self.database_url, &self.data_dir) {
            (Some(u), _) => Ok(u.clone()),
            (None, Some(d)) => {
                std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
                Ok(format!("sqlite://{}", d.join("samlet.db").display()))
            }
            (None, None) => bail!(
                "say where the data is: --data-dir DIR (SQLite) or --database-url postgres://…"
            ),
        }
    }
}

#[derive(Args)]
struct ServeArgs {
    #[arg(long, env = "SAMLET_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Serve Prometheus `/metrics` on this address (e.g. 0.0.0.0:9090), a
    /// port of its own that is not exposed publicly. Without it: no metrics.
    #[arg(long, env = "SAMLET_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Reverse proxies in front of the server (an ingress: 1) that append the client's
    /// address to X-Forwarded-For; per-address rate limits then count the client, not the
    /// proxy. 0: the header is ignored.
    #[arg(long, env = "SAMLET_TRUSTED_PROXY_HOPS", default_value_t = 0)]
    trusted_proxy_hops: usize,
    #[command(flatten)]
    db: DbArgs,
    /// A read replica of --database-url (PostgreSQL) for the views that may lag a
    /// moment (overview, messages, lists); writes, and the reads that must see them
    /// (sessions, tokens, the transparency log), stay on --database-url.
    #[arg(long, env = "SAMLET_DATABASE_READ_URL", hide_env_values = true, value_parser = secret_arg)]
    database_read_url: Option<SecretString>,
    /// Dev mode: dev login, dev agency tokens and synthetic person ids. Only on a
    /// developer's machine: refused with a non-loopback --listen, a PostgreSQL
    /// --database-url or any OpenID Connect setting.
    #[arg(long, env = "SAMLET_DEV")]
    dev: bool,
    /// Accept synthetic test persons (month + 80, as ID-porten's test environment and
    /// Tenor issue them) from real OIDC logins and agency tokens; nothing else of dev mode.
    #[arg(long, env = "SAMLET_ALLOW_SYNTHETIC_PIDS")]
    allow_synthetic_pids: bool,
    /// The public URL (JWT audience, calendar links). Defaults to http://LISTEN (with the
    /// port the server bound when LISTEN's port is 0).
    #[arg(long, env = "SAMLET_PUBLIC_URL")]
    public_url: Option<String>,
    /// Secret for pseudonyms and signed cookies; else read or created in the data dir.
    #[arg(long, env = "SAMLET_SECRET", hide_env_values = true, value_parser = secret_arg)]
    secret: Option<SecretString>,
    /// Accept Danish CPR numbers as person ids.
    #[arg(long, env = "SAMLET_ALLOW_CPR")]
    allow_cpr: bool,
    #[arg(long, env = "SAMLET_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    #[arg(long, env = "SAMLET_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    #[arg(long, env = "SAMLET_OIDC_CLIENT_SECRET", hide_env_values = true, value_parser = secret_arg)]
    oidc_client_secret: Option<SecretString>,
    #[arg(long, env = "SAMLET_OIDC_PID_CLAIM", default_value = "pid")]
    oidc_pid_claim: String,
    #[arg(long, env = "SAMLET_OIDC_SCOPES", default_value = "openid profile")]
    oidc_scopes: String,
    /// The transparency log's origin (checkpoint first line and key name),
    /// e.g. `samlet.example/log`. Defaults to the public URL's host + `/log`.
    #[arg(long, env = "SAMLET_LOG_ORIGIN")]
    log_origin: Option<String>,
    /// The log's signing key (`PRIVATE+KEY+…`); else read or created as log.key in the data dir.
    #[arg(long, env = "SAMLET_LOG_KEY", hide_env_values = true, value_parser = secret_arg)]
    log_key: Option<SecretString>,
    /// `json` (default, for log collectors) or `pretty`.
    #[arg(long, env = "SAMLET_LOG_FORMAT", default_value = "json")]
    log_format: String,
    /// Rule sets to explain (a directory of rule set directories); default: the shipped ones.
    #[arg(long, env = "SAMLET_RULES_DIR")]
    rules_dir: Option<PathBuf>,
    /// The country served: `no` (Europe/Oslo, bokmål by default, a mandate
    /// from 18) or `dk` (Europe/Copenhagen, Danish by default, from 15).
    #[arg(long, env = "SAMLET_COUNTRY", value_enum, default_value = "no")]
    country: Country,
}

/// The country served (one byte, so `ServeArgs` stays small).
#[derive(Clone, Copy, clap::ValueEnum)]
enum Country {
    No,
    Dk,
}

impl Country {
    fn rules(self) -> samlet_access::Rules {
        match self {
            Country::No => samlet_access::Rules::NORWAY,
            Country::Dk => samlet_access::Rules::DENMARK,
        }
    }

    fn domain(self) -> samlet_domain::Country {
        match self {
            Country::No => samlet_domain::Country::No,
            Country::Dk => samlet_domain::Country::Dk,
        }
    }
}

#[derive(Subcommand)]
enum AgencyCommand {
    /// Register an agency (organisation number, 9 digits, mod-11 checked).
    Add {
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArgs,
        /// Also issue a dev bearer token (accepted only by a server in --dev mode).
        #[arg(long)]
        dev_token: bool,
        /// A JSON file with the agency's public JWK set, for the JWT-bearer grant.
        #[arg(long)]
        jwks: Option<PathBuf>,
        /// The client id the agency will use as `iss` (default: its org number).
        #[arg(long)]
        client_id: Option<String>,
        /// The scopes it holds, comma-separated (default: samlet:write,samlet:read, its own items).
        #[arg(long)]
        scopes: Option<String>,
        #[command(flatten)]
        by: OperatorArg,
        #[arg(long)]
        json: bool,
    },
    /// Grant scopes to an agency (recorded in the transparency log). Special roles go to the
    /// one authority that holds them: samlet:guardianship to the county governor
    /// (Statsforvalteren), samlet:population to the population register (Folkeregisteret).
    Grant(GrantArgs),
    /// Revoke scopes from an agency (recorded in the transparency log); tokens already issued
    /// lose them at once.
    Revoke(GrantArgs),
    /// Register or replace an agency's public keys.
    SetKeys {
        #[arg(long)]
        org: String,
        #[arg(long)]
        jwks: PathBuf,
        #[arg(long)]
        client_id: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Show or set which areas (health, tax, benefits …) an agency's items belong to; a
    /// mandate scoped to an area shows the items of the agencies with that area.
    Areas(agency_areas::AreasArgs),
    /// List registered agencies.
    List {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

/// Who performs an act of authority; recorded in the transparency log.
#[derive(Args, Clone)]
pub(crate) struct OperatorArg {
    /// Your name as the operator (default: $SAMLET_OPERATOR, else your login name).
    #[arg(long = "by")]
    by: Option<String>,
}

impl OperatorArg {
    pub(crate) fn name(&self) -> String {
        self.by
            .clone()
            .or_else(|| std::env::var("SAMLET_OPERATOR").ok())
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("LOGNAME").ok())
            .unwrap_or_else(|| "operator".to_owned())
    }
}

#[derive(Args)]
struct GrantArgs {
    #[arg(long)]
    org: String,
    /// Comma-separated, e.g. samlet:guardianship or samlet:write,samlet:read.
    #[arg(long)]
    scopes: String,
    #[command(flatten)]
    by: OperatorArg,
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    json: bool,
}

/// A panic's message can quote the data a handler choked on (an identity
/// number, a message text), and the default hook prints it to stderr, where
/// log collectors read. Print only where it happened; the request's own
/// problem answer and log line carry its request id.
fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_else(|| "an unknown place".to_owned());
        eprintln!(
            "samlet: a thread panicked at {at} (message withheld: it may hold personal data)"
        );
    }));
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    quiet_panics();
    let cli = Cli::parse();
    match cli.command {
        Command::Demo { listen, data_dir } => {
            init_logging("pretty");
            demo::run(listen, &data_dir).await
        }
        Command::Serve(args) => {
            init_logging(&args.log_format);
            serve(*args).await
        }
        Command::Agency(cmd) => agency(cmd).await,
        Command::Basis(cmd) => basis::run(cmd).await,
        Command::Foresight(cmd) => foresight::run(cmd).await,
        Command::Bench(cmd) => {
            init_logging("pretty");
            bench::run(cmd).await
        }
        Command::Rules(cmd) => match rules::run(cmd)? {
            0 => Ok(()),
            code => std::process::exit(code),
        },
        Command::Journeys(cmd) => journeys::run(cmd),
        Command::Log(cmd) => {
            init_logging("pretty");
            let code = log::run(cmd).await?;
            if code != 0 {
                std::process::exit(code);
            }
            Ok(())
        }
        Command::Offers(cmd) => offers::run(cmd).await,
    }
}

/// What is logged unless `SAMLET_LOG` says otherwise: one line per request.
pub(crate) const DEFAULT_LOG_FILTER: &str = "info,sqlx=warn";

fn init_logging(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("SAMLET_LOG")
        .unwrap_or_else(|_| EnvFilter::new(DEFAULT_LOG_FILTER));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "pretty" {
        let _ = builder.compact().try_init();
    } else {
        let _ = builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            // The request span is the only span; listing it twice per line
            // doubled the bytes written for every request.
            .with_span_list(false)
            .try_init();
    }
}

/// A secret flag's value, held so that it never shows in `Debug` output.
fn secret_arg(s: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(s))
}

/// The secret: given, or kept in the data dir (created on first start).
fn load_secret(
    given: Option<&SecretString>,
    data_dir: Option<&Path>,
    dev: bool,
) -> anyhow::Result<Vec<u8>> {
    if let Some(s) = given {
        let s = s.expose_secret();
        if s.len() < 32 {
            bail!("SAMLET_SECRET must be at least 32 characters");
        }
        return Ok(s.as_bytes().to_vec());
    }
    match data_dir {
        Some(dir) => {
            let path = dir.join("secret.key");
            if let Ok(s) = std::fs::read(&path) {
                return Ok(s);
            }
            let s = samlet_app::auth::random_token("").into_bytes();
            std::fs::create_dir_all(dir)?;
            write_private(&path, &s)?;
            Ok(s)
        }
        None if dev => Ok(b"dev-secret-not-for-production-use".to_vec()),
        None => bail!("set SAMLET_SECRET (at least 32 characters) when running without --data-dir"),
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(bytes)?;
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, bytes)?;
        Ok(())
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let url = args.db.url()?;
    if args.dev {
        let oidc_flags: Vec<&str> = [
            ("--oidc-issuer", args.oidc_issuer.is_some()),
            ("--oidc-client-id", args.oidc_client_id.is_some()),
            ("--oidc-client-secret", args.oidc_client_secret.is_some()),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect();
        samlet_server::check_dev_mode(args.listen, &url, &oidc_flags)?;
    }
    let secret = load_secret(args.secret.as_ref(), args.db.data_dir.as_deref(), args.dev)?;
    let oidc = match (&args.oidc_issuer, &args.oidc_client_id) {
        (Some(issuer), Some(client_id)) => Some(OidcConfig {
            issuer: issuer.clone(),
            client_id: client_id.clone(),
            client_secret: args.oidc_client_secret.clone().unwrap_or_default(),
            pid_claim: args.oidc_pid_claim.clone(),
            scopes: args.oidc_scopes.clone(),
        }),
        (None, None) => None,
        _ => bail!("OpenID Connect needs both --oidc-issuer and --oidc-client-id"),
    };
    let public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.listen));
    let log_signer = load_log_signer(&args, &public_url, &secret)?;
    let mut config = Config {
        log_signer,
        listen: args.listen,
        database_url: url.clone().into(),
        database_read_url: args.database_read_url.clone(),
        dev: args.dev,
        public_url,
        secret: secret.into(),
        pid_policy: PidPolicy {
            // A test environment (ID-porten's test persons, Tenor) is not dev mode.
            allow_synthetic: args.dev || args.allow_synthetic_pids,
            allow_cpr: args.allow_cpr,
        },
        oidc,
        rules_dir: args.rules_dir.clone(),
        representation_rules: args.country.rules(),
        country: args.country.domain(),
        metrics_listen: args.metrics_listen,
        trusted_proxy_hops: args.trusted_proxy_hops,
        ..Config::dev(args.listen, url.clone())
    };
    if !config.dev && config.oidc.is_none() {
        tracing::warn!(
            "no OpenID Connect provider configured: citizens cannot log in (agency API works)"
        );
    }
    // Bound before the state is built: with --listen on port 0 the public
    // URL (links, calendar URLs, the JWT audience) takes the port the
    // system picked, and the socket is handed over, never bound twice.
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let addr = listener.local_addr()?;
    config.listening_at(addr);
    let metrics = match args.metrics_listen {
        Some(m) => Some(
            tokio::net::TcpListener::bind(m)
                .await
                .with_context(|| format!("listening on {m} for metrics"))?,
        ),
        None => None,
    };
    let read_url = args
        .database_read_url
        .as_ref()
        .map(|u| u.expose_secret().to_owned());
    let store =
        samlet_store::connect_with(&samlet_store::ConnectOptions::new(url).read_url(read_url))
            .await
            .context("opening the database")?;
    let state = AppState::new(store, config).await?;
    if let Some(metrics) = metrics {
        let bound = metrics.local_addr()?;
        samlet_server::spawn_metrics_on(metrics, state.metrics.clone());
        tracing::info!(addr = %bound, "metrics are served at /metrics");
    }
    let public = state.config.public_url.clone();
    tracing::info!(%addr, url = %public, "Samlet is listening");
    println!("Samlet is running at {public}/");
    samlet_server::serve_on(listener, state).await
}

/// The log key: given, or kept in the data dir (created on first start), or
/// in dev mode without a data dir derived from the secret.
fn load_log_signer(
    args: &ServeArgs,
    public_url: &str,
    secret: &[u8],
) -> anyhow::Result<samlet_merkle::SignerKey> {
    if let Some(k) = &args.log_key {
        return samlet_merkle::SignerKey::parse(k.expose_secret().trim())
            .map_err(|e| anyhow::anyhow!("SAMLET_LOG_KEY: {e}"));
    }
    let origin = match &args.log_origin {
        Some(o) => o.clone(),
        None => {
            let u = url::Url::parse(public_url).context("--public-url")?;
            format!("{}/log", u.host_str().unwrap_or("samlet.example"))
        }
    };
    match args.db.data_dir.as_deref() {
        Some(dir) => {
            let path = dir.join("log.key");
            if let Ok(text) = std::fs::read_to_string(&path) {
                return samlet_merkle::SignerKey::parse(text.trim())
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
            }
            let key = samlet_merkle::SignerKey::generate(&origin)
                .map_err(|e| anyhow::anyhow!("log origin {origin:?}: {e}"))?;
            std::fs::create_dir_all(dir)?;
            write_private(&path, key.to_private_string().as_bytes())?;
            tracing::info!(key = %key.verifier(), "created the transparency log key");
            Ok(key)
        }
        None if args.dev => samlet_server::derived_log_signer(&origin, secret)
            .map_err(|e| anyhow::anyhow!("log origin {origin:?}: {e}")),
        None => bail!("set SAMLET_LOG_KEY (PRIVATE+KEY+…) when running without --data-dir"),
    }
}

async fn agency(cmd: AgencyCommand) -> anyhow::Result<()> {
    match cmd {
        AgencyCommand::Add {
            org,
            name,
            db,
            dev_token,
            jwks,
            client_id,
            scopes,
            by,
            json,
        } => {
            let org = OrgNumber::parse(&org).map_err(|e| anyhow::anyhow!("--org {org}: {e}"))?;
            let scopes = match scopes.as_deref() {
                Some(s) => ScopeSet::parse_list(s).map_err(|e| anyhow::anyhow!("--scopes: {e}"))?,
                None => ScopeSet::NEW_AGENCY,
            };
            if name.trim().is_empty() {
                bail!("--name is empty: give the agency's name");
            }
            // Checked before anything is written, so a bad file registers nothing.
            let jwks_text = jwks.as_deref().map(read_jwks).transpose()?;
            let store = samlet_store::connect(&db.url()?).await?;
            let (agency, _) = samlet_app::authority::register_agency(
                store.as_ref(),
                &org,
                name.trim(),
                scopes,
                &by.name(),
            )
            .await?;
            let client_id = client_id.unwrap_or_else(|| org.to_string());
            if let Some(text) = &jwks_text {
                store.set_agency_keys(&org, &client_id, text).await?;
            }
            let token = if dev_token {
                Some(demo::issue_dev_token(store.as_ref(), &agency).await?)
            } else {
                None
            };
            if json {
                let out = serde_json::json!({
                    "org": org.to_string(),
                    "name": agency.name,
                    "scopes": agency.scopes,
                    "client_id": jwks.as_ref().map(|_| client_id.clone()),
                    "token": token,
                });
                println!("{out}");
            } else {
                println!("Registered {} ({org}) with {}.", agency.name, agency.scopes);
                if let Some(t) = token {
                    println!("Dev token (works only against a server started with --dev):\n{t}");
                }
                if jwks.is_some() {
                    println!("Client id for the JWT-bearer grant: {client_id}");
                }
            }
            Ok(())
        }
        AgencyCommand::Grant(g) => grant_or_revoke(g, true).await,
        AgencyCommand::Revoke(g) => grant_or_revoke(g, false).await,
        AgencyCommand::SetKeys {
            org,
            jwks,
            client_id,
            db,
        } => {
            let org = OrgNumber::parse(&org).map_err(|e| anyhow::anyhow!("--org {org}: {e}"))?;
            let store = samlet_store::connect(&db.url()?).await?;
            let client_id = client_id.unwrap_or_else(|| org.to_string());
            if !store
                .set_agency_keys(&org, &client_id, &read_jwks(&jwks)?)
                .await?
            {
                bail!("no agency with organisation number {org}");
            }
            println!("Keys registered for {org}; client id {client_id}.");
            Ok(())
        }
        AgencyCommand::Areas(a) => agency_areas::run(a).await,
        AgencyCommand::List { db, json } => {
            let store = samlet_store::connect(&db.url()?).await?;
            let list = store.list_agencies().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!("{:<9}  {:<32}  {:<12}  SCOPES", "ORG", "NAME", "CLIENT ID");
                for a in list {
                    println!(
                        "{:<9}  {:<32}  {:<12}  {}",
                        a.org.to_string(),
                        a.name,
                        a.client_id.as_deref().unwrap_or("-"),
                        if a.scopes.is_empty() {
                            "-".to_owned()
                        } else {
                            a.scopes.to_string()
                        }
                    );
                }
            }
            Ok(())
        }
    }
}

async fn grant_or_revoke(g: GrantArgs, grant: bool) -> anyhow::Result<()> {
    let org = OrgNumber::parse(&g.org).map_err(|e| anyhow::anyhow!("--org {}: {e}", g.org))?;
    let scopes = ScopeSet::parse_list(&g.scopes).map_err(|e| anyhow::anyhow!("--scopes: {e}"))?;
    let store = samlet_store::connect(&g.db.url()?).await?;
    let by = g.by.name();
    let change = if grant {
        samlet_app::authority::grant(store.as_ref(), &org, scopes, &by).await?
    } else {
        samlet_app::authority::revoke(store.as_ref(), &org, scopes, &by).await?
    };
    if g.json {
        let out = serde_json::json!({
            "org": org.to_string(),
            "name": change.agency.name,
            if grant { "granted" } else { "revoked" }: change.changed,
            "scopes": change.holds,
            "log_index": change.log_index,
        });
        println!("{out}");
    } else if change.changed.is_empty() {
        println!(
            "Nothing to {}: {} ({org}) holds {}.",
            if grant { "grant" } else { "revoke" },
            change.agency.name,
            if change.holds.is_empty() {
                "no scopes".to_owned()
            } else {
                change.holds.to_string()
            }
        );
    } else {
        println!(
            "{} {} {} {} ({org}) by {by}; it now holds {}. Recorded in the transparency log at index {}.",
            if grant { "Granted" } else { "Revoked" },
            change.changed,
            if grant { "to" } else { "from" },
            change.agency.name,
            if change.holds.is_empty() { "no scopes".to_owned() } else { change.holds.to_string() },
            change.log_index.map(|i| i.to_string()).unwrap_or_default()
        );
    }
    Ok(())
}

/// Accept a JWK set or a single JWK; store a set.
fn read_jwks(path: &Path) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let set = if v.get("keys").is_some() {
        v
    } else {
        serde_json::json!({ "keys": [v] })
    };
    let keys = set
        .get("keys")
        .and_then(|k| k.as_array())
        .map(|k| k.len())
        .unwrap_or(0);
    if keys == 0 {
        bail!("{} holds no public keys", path.display());
    }
    if text.contains("\"d\"") {
        bail!(
            "{} contains a private key (\"d\"): register only the public key",
            path.display()
        );
    }
    Ok(set.to_string())
}
