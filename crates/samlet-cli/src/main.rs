//! `samlet`: one binary for the server, the demo, agency administration and
//! benchmarks. `anyhow` lives here, at the edge; the libraries use typed errors.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};
use samlet_domain::{OrgNumber, PidPolicy};
use samlet_server::{AppState, Config, OidcConfig};

/// mimalloc rather than glibc's malloc: the server allocates many small,
/// short-lived buffers per request, and glibc's free-list consolidation was
/// an eighth of the server's CPU in the overview benchmark's profile.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod bench_foresight;
mod bench_log;
mod demo;
// Representation and consent (issue 4).
mod agency_areas;
mod basis;
mod bench_access;
mod demo_represent;
mod foresight;
mod journeys;
mod log;
mod rules;
// Life events, second step (issue 5).
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
    Serve(ServeArgs),
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
    // Life events, second step (issue 5): offers after a rule change (offers.rs).
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
    #[command(flatten)]
    db: DbArgs,
    /// Dev mode: dev login, dev agency tokens and synthetic person ids. Never in production.
    #[arg(long, env = "SAMLET_DEV")]
    dev: bool,
    /// The public URL (JWT audience, calendar links). Defaults to http://LISTEN.
    #[arg(long, env = "SAMLET_PUBLIC_URL")]
    public_url: Option<String>,
    /// Secret for pseudonyms and signed cookies; else read or created in the data dir.
    #[arg(long, env = "SAMLET_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// Accept Danish CPR numbers as person ids.
    #[arg(long, env = "SAMLET_ALLOW_CPR")]
    allow_cpr: bool,
    #[arg(long, env = "SAMLET_OIDC_ISSUER")]
    oidc_issuer: Option<String>,
    #[arg(long, env = "SAMLET_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    #[arg(long, env = "SAMLET_OIDC_CLIENT_SECRET", hide_env_values = true)]
    oidc_client_secret: Option<String>,
    #[arg(long, env = "SAMLET_OIDC_PID_CLAIM", default_value = "pid")]
    oidc_pid_claim: String,
    #[arg(long, env = "SAMLET_OIDC_SCOPES", default_value = "openid profile")]
    oidc_scopes: String,
    /// The transparency log's origin (checkpoint first line and key name),
    /// e.g. `samlet.example/log`. Defaults to the public URL's host + `/log`.
    #[arg(long, env = "SAMLET_LOG_ORIGIN")]
    log_origin: Option<String>,
    /// The log's signing key (`PRIVATE+KEY+…`); else read or created as log.key in the data dir.
    #[arg(long, env = "SAMLET_LOG_KEY", hide_env_values = true)]
    log_key: Option<String>,
    /// `json` (default, for log collectors) or `pretty`.
    #[arg(long, env = "SAMLET_LOG_FORMAT", default_value = "json")]
    log_format: String,
    /// Rule sets to explain (a directory of rule set directories); default: the shipped ones.
    #[arg(long, env = "SAMLET_RULES_DIR")]
    rules_dir: Option<PathBuf>,
    // Representation and consent (issue 4).
    /// Country rules for representation: `no` (a mandate from 18) or `dk` (from 15).
    #[arg(long, env = "SAMLET_COUNTRY", value_enum, default_value = "no")]
    country: Country,
}

// Representation and consent (issue 4).
/// Country rules (one byte, so `ServeArgs` stays small).
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
        #[arg(long)]
        json: bool,
    },
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Demo { listen, data_dir } => {
            init_logging("pretty");
            demo::run(listen, &data_dir).await
        }
        Command::Serve(args) => {
            init_logging(&args.log_format);
            serve(args).await
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

/// The secret: given, or kept in the data dir (created on first start).
fn load_secret(
    given: Option<String>,
    data_dir: Option<&Path>,
    dev: bool,
) -> anyhow::Result<Vec<u8>> {
    if let Some(s) = given {
        if s.len() < 32 {
            bail!("SAMLET_SECRET must be at least 32 characters");
        }
        return Ok(s.into_bytes());
    }
    match data_dir {
        Some(dir) => {
            let path = dir.join("secret.key");
            if let Ok(s) = std::fs::read(&path) {
                return Ok(s);
            }
            let s = samlet_server::auth::random_token("").into_bytes();
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
    let secret = load_secret(args.secret.clone(), args.db.data_dir.as_deref(), args.dev)?;
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
    let config = Config {
        log_signer,
        listen: args.listen,
        database_url: url.clone(),
        dev: args.dev,
        public_url,
        secret,
        pid_policy: PidPolicy {
            allow_synthetic: args.dev,
            allow_cpr: args.allow_cpr,
        },
        oidc,
        rules_dir: args.rules_dir.clone(),
        representation_rules: args.country.rules(),
        ..Config::dev(args.listen, url.clone())
    };
    if !config.dev && config.oidc.is_none() {
        tracing::warn!(
            "no OpenID Connect provider configured: citizens cannot log in (agency API works)"
        );
    }
    let store = samlet_store::connect(&url)
        .await
        .context("opening the database")?;
    let state = AppState::new(store, config).await?;
    let public = state.config.public_url.clone();
    samlet_server::serve(state, move |addr| {
        tracing::info!(%addr, url = %public, "Samlet is listening");
        println!("Samlet is running at {public}/");
    })
    .await
}

/// The log key: given, or kept in the data dir (created on first start), or
/// in dev mode without a data dir derived from the secret.
fn load_log_signer(
    args: &ServeArgs,
    public_url: &str,
    secret: &[u8],
) -> anyhow::Result<samlet_merkle::SignerKey> {
    if let Some(k) = &args.log_key {
        return samlet_merkle::SignerKey::parse(k.trim())
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
            json,
        } => {
            let org = OrgNumber::parse(&org).map_err(|e| anyhow::anyhow!("--org {org}: {e}"))?;
            let store = samlet_store::connect(&db.url()?).await?;
            let agency = store.create_agency(&org, &name).await?;
            let client_id = client_id.unwrap_or_else(|| org.to_string());
            if let Some(path) = &jwks {
                let text = read_jwks(path)?;
                store.set_agency_keys(&org, &client_id, &text).await?;
            }
            let token = if dev_token {
                Some(demo::issue_dev_token(store.as_ref(), agency.id).await?)
            } else {
                None
            };
            if json {
                let out = serde_json::json!({
                    "org": org.to_string(),
                    "name": name,
                    "client_id": jwks.as_ref().map(|_| client_id.clone()),
                    "token": token,
                });
                println!("{out}");
            } else {
                println!("Registered {name} ({org}).");
                if let Some(t) = token {
                    println!("Dev token (works only against a server started with --dev):\n{t}");
                }
                if jwks.is_some() {
                    println!("Client id for the JWT-bearer grant: {client_id}");
                }
            }
            Ok(())
        }
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
                for a in list {
                    println!(
                        "{}  {}  {}",
                        a.org,
                        a.name,
                        a.client_id.as_deref().unwrap_or("-")
                    );
                }
            }
            Ok(())
        }
    }
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
