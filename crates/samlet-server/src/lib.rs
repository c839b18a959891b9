//! **API Boundary**: Samlet's HTTP server.
//!
//! Agencies push through the agency API (`api::agency`), citizens read
//! through the citizen API (`api::me`) and the server-rendered web UI
//! (`web`). Only this crate knows HTTP and HTML.
//!
//! **Architecture Invariant**: handlers get a person's data only through
//! [`samlet_store::Store`], and only for the person in the session (or, in
//! later modules, through the access-logged paths). A pid is never logged:
//! request logs carry the route template, and person-related log fields
//! carry [`samlet_domain::Pseudonymizer`] pseudonyms.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use samlet_domain::{PidPolicy, Pseudonymizer};
use samlet_store::Store;
use secrecy::{ExposeSecret, SecretSlice, SecretString};

pub mod api;
pub mod auth;

pub mod calendar;
pub mod extract;
pub mod foresight;
pub mod i18n;
mod middleware;
pub mod oidc;
pub mod openapi;
pub mod problem;
pub mod ratelimit;
pub mod represent;
mod router;
pub mod schema;
pub mod transparency;
pub mod web;

pub use middleware::metrics_handle;
pub use router::{layers, metrics_router, router};

/// OpenID Connect settings for citizen login (ID-porten style).
///
/// **Architecture Invariant**: secrets in the configuration are `secrecy`
/// types, so `Debug` output and logs never show them.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// Issuer URL; its `/.well-known/openid-configuration` is read at start.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: SecretString,
    /// The claim that carries the person id; ID-porten calls it `pid`.
    pub pid_claim: String,
    pub scopes: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    /// Secret: a PostgreSQL URL can carry a password.
    pub database_url: SecretString,
    /// A read replica of the database for the views that may lag a moment
    /// (PostgreSQL); `None`: those read the database too. Secret like
    /// `database_url`.
    pub database_read_url: Option<SecretString>,
    /// Dev mode: dev login, dev agency tokens, synthetic person ids. Only
    /// on a developer's machine (see [`check_dev_mode`]).
    pub dev: bool,
    /// The URL people and agencies reach this server at; the JWT `aud` and
    /// the base of calendar URLs.
    pub public_url: String,
    /// Key for pseudonyms and signed cookies; from the data dir or env.
    pub secret: SecretSlice<u8>,
    pub pid_policy: PidPolicy,
    pub oidc: Option<OidcConfig>,
    pub session_ttl: Duration,
    /// Login attempts allowed per client address per minute.
    pub login_per_minute: u32,
    /// The other rate limits (token requests, OIDC login, foresight joins,
    /// mandates, person look-ups).
    pub rate_limits: ratelimit::RateLimits,
    /// Reverse proxies in front of the server (an ingress, a load
    /// balancer) that append the client's address to `X-Forwarded-For`.
    /// 0: the header is ignored and the socket's peer is the client.
    pub trusted_proxy_hops: usize,
    /// Rule sets to explain: a directory of rule set directories. `None`: the shipped ones.
    pub rules_dir: Option<std::path::PathBuf>,
    /// Signs the transparency log's checkpoints; its name is the log's
    /// origin (e.g. `samlet.example/log`).
    pub log_signer: samlet_merkle::SignerKey,
    /// How often a checkpoint is signed when the log has grown.
    pub checkpoint_interval: Duration,
    /// Country rules for representation (age to give a mandate: 18 in
    /// Norway, 15 in Denmark).
    pub representation_rules: samlet_access::Rules,
    /// Where Prometheus scrapes `/metrics`; `None`: not served. Never the
    /// public listener, whose clients have no business reading them.
    pub metrics_listen: Option<SocketAddr>,
    /// The country served: its time zone decides "today" and the dates on
    /// pages, and its language is the default (bokmål or Danish).
    pub country: samlet_domain::Country,
    /// Synthetic persons offered on the dev login page (`samlet demo`).
    pub demo_persons: Vec<DemoPerson>,
}

/// A synthetic person offered on the dev login page.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoPerson {
    pub pid: String,
    pub name: String,
}

/// Why `--dev` may not run with these settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DevModeError {
    #[error("--dev cannot be combined with --listen {0}: dev login and dev tokens must not be reachable from another machine. Listen on 127.0.0.1 or [::1], or drop --dev (a test environment uses --allow-synthetic-pids)")]
    Listen(SocketAddr),
    #[error("--dev cannot be combined with --database-url {0}://…: dev mode is for a developer's own SQLite database, never a shared one. Use --data-dir, or drop --dev (a test environment uses --allow-synthetic-pids)")]
    Database(String),
    #[error("--dev cannot be combined with {0}: dev login must not sit beside a real identity provider. Drop --dev (a test environment uses --allow-synthetic-pids)")]
    Oidc(String),
}

/// Dev mode (dev login as anyone, dev agency tokens) belongs on a
/// developer's machine only: refused with a non-loopback listen address,
/// any database but SQLite, or any OpenID Connect setting (`oidc_flags`:
/// the names of those given, e.g. `--oidc-issuer`).
pub fn check_dev_mode(
    listen: SocketAddr,
    database_url: &str,
    oidc_flags: &[&str],
) -> Result<(), DevModeError> {
    if !listen.ip().is_loopback() {
        return Err(DevModeError::Listen(listen));
    }
    let scheme = database_url
        .split_once(':')
        .map_or(database_url, |(s, _)| s)
        .to_ascii_lowercase();
    if scheme != "sqlite" {
        return Err(DevModeError::Database(scheme));
    }
    if !oidc_flags.is_empty() {
        return Err(DevModeError::Oidc(oidc_flags.join(", ")));
    }
    Ok(())
}

/// The dev log key: derived from the secret, so tests and the demo keep one
/// key across restarts. Production keeps a random key in the data dir.
pub fn derived_log_signer(
    origin: &str,
    secret: &[u8],
) -> Result<samlet_merkle::SignerKey, samlet_merkle::NoteError> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"samlet transparency log key v1\0");
    h.update(secret);
    let seed: [u8; 32] = h.finalize().into();
    samlet_merkle::SignerKey::from_seed(origin, &seed)
}

impl Config {
    /// Sensible settings for tests and the demo.
    pub fn dev(listen: SocketAddr, database_url: String) -> Self {
        let secret = b"dev-secret-not-for-production-use".to_vec();
        // "samlet.example/log" is a valid note name, so this cannot fail.
        let log_signer = derived_log_signer("samlet.example/log", &secret)
            .unwrap_or_else(|_| unreachable!("constant origin is a valid key name"));
        Self {
            log_signer,
            checkpoint_interval: Duration::from_secs(10),
            listen,
            database_url: database_url.into(),
            database_read_url: None,
            dev: true,
            public_url: format!("http://{listen}"),
            secret: secret.into(),
            pid_policy: PidPolicy::TEST,
            oidc: None,
            session_ttl: Duration::from_secs(8 * 3600),
            login_per_minute: 30,
            rate_limits: ratelimit::RateLimits::default(),
            trusted_proxy_hops: 0,
            rules_dir: None,
            representation_rules: samlet_access::Rules::NORWAY,
            metrics_listen: None,
            country: samlet_domain::Country::No,
            demo_persons: Vec::new(),
        }
    }

    /// The language a page gets when neither cookie nor browser names one.
    pub fn country_lang(&self) -> samlet_i18n::Lang {
        match self.country {
            samlet_domain::Country::No => samlet_i18n::Lang::Nb,
            samlet_domain::Country::Dk => samlet_i18n::Lang::Da,
        }
    }

    /// The person's date now, in the country's time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.country.today(chrono::Utc::now())
    }

    /// The listen address has been bound at `addr`. A public URL that names
    /// port 0 (as [`Config::dev`] makes from a port-0 listen address) takes
    /// the bound port, so links, calendar URLs and the JWT audience name
    /// the port the server actually listens on.
    pub fn listening_at(&mut self, addr: SocketAddr) {
        self.listen = addr;
        if let Ok(mut url) = url::Url::parse(&self.public_url) {
            if url.port() == Some(0) && url.set_port(Some(addr.port())).is_ok() {
                let mut public = url.to_string();
                // `Url` writes an empty path as "/"; the public URL is used
                // as a prefix ("{public_url}/me"), so keep it as given.
                if !self.public_url.ends_with('/') && url.path() == "/" {
                    public.pop();
                }
                self.public_url = public;
            }
        }
    }

    /// Cookies get `Secure` unless the server is plainly served over http on
    /// loopback in dev mode (browsers would otherwise drop them there).
    pub fn secure_cookies(&self) -> bool {
        !(self.dev && self.public_url.starts_with("http://"))
    }
}

/// Shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    pub pseudo: Pseudonymizer,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    pub login_limiter: Arc<auth::LoginLimiter>,
    pub limits: Arc<ratelimit::Limiters>,
    pub templates: Arc<web::Templates>,
    pub oidc: Option<Arc<oidc::Provider>>,
    /// Live foresight tallies of open sessions, final results of closed ones.
    pub foresight: Arc<samlet_app::foresight::LiveResults>,
    /// Rule sets, loaded at start (rules as code).
    pub rules: Arc<samlet_app::rules::RuleSets>,
    /// The life-event catalogue (shipped, embedded in the binary).
    pub journeys: Arc<samlet_journeys::Catalogue>,
    pub log: Arc<transparency::log::TransparencyLog>,
    /// Opaque `/me/acting-for/{handle}` addresses (see [`represent::handle`]).
    pub handles: Arc<represent::handle::Handles>,
}

impl AppState {
    pub async fn new(store: Arc<dyn Store>, config: Config) -> anyhow::Result<Self> {
        let oidc = match &config.oidc {
            Some(c) => Some(Arc::new(oidc::Provider::discover(c.clone()).await?)),
            None => None,
        };
        let rules = match &config.rules_dir {
            Some(dir) => samlet_app::rules::RuleSets::load_dir(dir)?,
            None => samlet_app::rules::RuleSets::shipped()?,
        };
        let log =
            transparency::log::TransparencyLog::open(store.clone(), config.log_signer.clone())
                .await?;
        let journeys = samlet_journeys::shipped_catalogue().map_err(|e| anyhow::anyhow!("{e}"))?;
        // An offer whose rule set is not loaded (a custom --rules-dir) is never made; say so.
        for problem in samlet_journeys::check_offers(&journeys.offers, |id| rules.get(id)) {
            tracing::warn!("{problem}");
        }
        Ok(Self {
            rules: Arc::new(rules),
            journeys: Arc::new(journeys),
            log,
            pseudo: Pseudonymizer::new(config.secret.expose_secret()),
            handles: Arc::new(represent::handle::Handles::new(
                config.secret.expose_secret(),
            )?),
            login_limiter: Arc::new(auth::LoginLimiter::new(config.login_per_minute)),
            limits: Arc::new(ratelimit::Limiters::new(&config.rate_limits)),
            store,
            metrics: middleware::metrics_handle(),
            templates: Arc::new(web::Templates::new(config.country)),
            oidc,
            foresight: Arc::default(),
            config: Arc::new(config),
        })
    }
}

/// Bind `state.config.listen` (and the metrics listener, if configured),
/// then serve until ctrl-c / SIGTERM. Returns the bound address through
/// `on_bound`. A caller that needs the bound port in the configuration
/// (port 0) binds first and calls [`serve_on`].
pub async fn serve(state: AppState, on_bound: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(state.config.listen).await?;
    if let Some(metrics_addr) = state.config.metrics_listen {
        let metrics = tokio::net::TcpListener::bind(metrics_addr).await?;
        let bound = metrics.local_addr()?;
        spawn_metrics_on(metrics, state.metrics.clone());
        tracing::info!(addr = %bound, "metrics are served at /metrics");
    }
    on_bound(listener.local_addr()?);
    serve_on(listener, state).await
}

/// Serve on a listener the caller has bound, until ctrl-c / SIGTERM.
///
/// The socket is bound once and handed over: binding a port, closing it
/// and binding it again would let another process take it in between.
pub async fn serve_on(listener: tokio::net::TcpListener, state: AppState) -> anyhow::Result<()> {
    spawn_housekeeping(state.store.clone());
    spawn_checkpointer(state.log.clone(), state.config.checkpoint_interval);
    spawn_foresight_warmup(&state);
    let app = router(state);
    // Responses go out whole at once: without TCP_NODELAY, Nagle's
    // algorithm can hold back the tail of a response that needs a second
    // segment until the client acknowledges the first.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
}

/// [`serve_on`] in the background: the listener already accepts
/// connections, so the server is reachable as soon as this returns.
pub fn spawn_on(
    listener: tokio::net::TcpListener,
    state: AppState,
) -> tokio::task::JoinHandle<anyhow::Result<()>> {
    tokio::spawn(serve_on(listener, state))
}

/// Serve `/metrics` alone on `addr`, in the background; returns the bound
/// address (port 0 picks one) and the task.
pub async fn spawn_metrics(
    addr: SocketAddr,
    handle: metrics_exporter_prometheus::PrometheusHandle,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    Ok((bound, spawn_metrics_on(listener, handle)))
}

/// Serve `/metrics` alone on a listener the caller has bound, in the
/// background.
pub fn spawn_metrics_on(
    listener: tokio::net::TcpListener,
    handle: metrics_exporter_prometheus::PrometheusHandle,
) -> tokio::task::JoinHandle<std::io::Result<()>> {
    let app = metrics_router(handle);
    tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
    })
}

/// Rebuild the live tallies of open foresight sessions from the store, so
/// the first presenter poll after a restart does not pay for it.
fn spawn_foresight_warmup(state: &AppState) {
    let (live, store) = (state.foresight.clone(), state.store.clone());
    tokio::spawn(async move {
        match live.warm(store.as_ref()).await {
            Ok(n) => tracing::info!(sessions = n, "foresight live tallies rebuilt"),
            Err(e) => tracing::warn!(error = %e, "foresight live tallies not rebuilt"),
        }
    });
}

/// Bind `state.config.listen` and serve in the background: the bound
/// address and the task. A configured public URL is not changed; to serve
/// on port 0 with the public URL it gets, bind first, call
/// [`Config::listening_at`] and build the state, then [`spawn_on`].
pub async fn spawn(
    state: AppState,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<anyhow::Result<()>>)> {
    let listener = tokio::net::TcpListener::bind(state.config.listen).await?;
    let addr = listener.local_addr()?;
    if let Some(metrics_addr) = state.config.metrics_listen {
        spawn_metrics(metrics_addr, state.metrics.clone()).await?;
    }
    Ok((addr, spawn_on(listener, state)))
}

fn spawn_housekeeping(store: Arc<dyn Store>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = store.purge_expired(chrono::Utc::now()).await {
                tracing::warn!(error = %e, "purging expired sessions failed");
            }
        }
    });
}

/// Signs a checkpoint whenever the log has grown, every `every`.
fn spawn_checkpointer(log: Arc<transparency::log::TransparencyLog>, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if let Err(e) = log.checkpoint().await {
                tracing::error!(error = %e, "signing a log checkpoint failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_debug_output_shows_no_secret() {
        let server_secret = "server-secret-0123456789-abcdefghij";
        let client_secret = "oidc-client-secret-zyxwvut";
        let db_password = "db-password-qwerty";
        let mut c = Config::dev(
            "127.0.0.1:0".parse().expect("addr"),
            format!("postgres://samlet:{db_password}@db/samlet"),
        );
        c.secret = server_secret.as_bytes().to_vec().into();
        c.oidc = Some(OidcConfig {
            issuer: "https://idporten.example".into(),
            client_id: "samlet".into(),
            client_secret: client_secret.into(),
            pid_claim: "pid".into(),
            scopes: "openid".into(),
        });
        let key = c.log_signer.to_private_string();
        let shown = format!("{c:?} {c:#?}");
        for secret in [server_secret, client_secret, db_password, key.as_str()] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        // The secret's bytes as Vec<u8>'s Debug would print them.
        let bytes = format!("{:?}", server_secret.as_bytes());
        assert!(!shown.contains(bytes.trim_matches(['[', ']'])));
        assert!(
            shown.contains("idporten.example"),
            "the rest is still shown"
        );
    }

    #[test]
    fn a_public_url_on_port_0_takes_the_bound_port() {
        let bound: SocketAddr = "127.0.0.1:40123".parse().expect("addr");
        let mut c = Config::dev(
            "127.0.0.1:0".parse().expect("addr"),
            "sqlite::memory:".into(),
        );
        c.listening_at(bound);
        assert_eq!(c.listen, bound);
        assert_eq!(c.public_url, "http://127.0.0.1:40123");
        c.public_url = "http://localhost:0/samlet".into();
        c.listening_at(bound);
        assert_eq!(c.public_url, "http://localhost:40123/samlet");
        // A public URL with a port of its own (a proxy in front) is kept.
        for given in ["https://samlet.example", "http://127.0.0.1:8080"] {
            c.public_url = given.into();
            c.listening_at(bound);
            assert_eq!(c.public_url, given);
        }
    }

    #[test]
    fn dev_mode_is_refused_off_a_developers_machine() {
        let sqlite = "sqlite://data/dev/samlet.db";
        let local: SocketAddr = "127.0.0.1:8080".parse().expect("addr");
        assert_eq!(check_dev_mode(local, sqlite, &[]), Ok(()));
        assert_eq!(
            check_dev_mode("[::1]:8080".parse().expect("addr"), sqlite, &[]),
            Ok(())
        );
        for public in ["0.0.0.0:8080", "10.0.0.5:8080", "[::]:8080"] {
            let addr: SocketAddr = public.parse().expect("addr");
            let e = check_dev_mode(addr, sqlite, &[]).expect_err(public);
            assert_eq!(e, DevModeError::Listen(addr));
            assert!(e
                .to_string()
                .contains(&format!("--dev cannot be combined with --listen {addr}")));
        }
        for db in ["postgres://samlet@db/samlet", "PostgreSQL://x", "mysql://x"] {
            let e = check_dev_mode(local, db, &[]).expect_err(db);
            assert!(matches!(e, DevModeError::Database(_)), "{db}");
            assert!(e
                .to_string()
                .contains("--dev cannot be combined with --database-url"));
            assert!(
                !e.to_string().contains("samlet@db"),
                "the URL itself is not echoed"
            );
        }
        let e = check_dev_mode(local, sqlite, &["--oidc-issuer", "--oidc-client-secret"])
            .expect_err("oidc");
        assert!(e
            .to_string()
            .contains("--dev cannot be combined with --oidc-issuer, --oidc-client-secret"));
    }
}
