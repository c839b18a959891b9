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
mod router;
pub mod rules;
pub mod web;

pub use router::router;

/// OpenID Connect settings for citizen login (ID-porten style).
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// Issuer URL; its `/.well-known/openid-configuration` is read at start.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The claim that carries the person id; ID-porten calls it `pid`.
    pub pid_claim: String,
    pub scopes: String,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub database_url: String,
    /// Dev mode: dev login, dev agency tokens, synthetic person ids.
    pub dev: bool,
    /// The URL people and agencies reach this server at; the JWT `aud` and
    /// the base of calendar URLs.
    pub public_url: String,
    /// Key for pseudonyms and signed cookies; from the data dir or env.
    pub secret: Vec<u8>,
    pub pid_policy: PidPolicy,
    pub oidc: Option<OidcConfig>,
    pub session_ttl: Duration,
    /// Login attempts allowed per client address per minute.
    pub login_per_minute: u32,
    /// Rule sets to explain: a directory of rule set directories. `None`: the shipped ones.
    pub rules_dir: Option<std::path::PathBuf>,
}

impl Config {
    /// Sensible settings for tests and the demo.
    pub fn dev(listen: SocketAddr, database_url: String) -> Self {
        Self {
            listen,
            database_url,
            dev: true,
            public_url: format!("http://{listen}"),
            secret: b"dev-secret-not-for-production-use".to_vec(),
            pid_policy: PidPolicy::TEST,
            oidc: None,
            session_ttl: Duration::from_secs(8 * 3600),
            login_per_minute: 30,
            rules_dir: None,
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
    pub templates: Arc<web::Templates>,
    pub oidc: Option<Arc<oidc::Provider>>,
    /// Recently computed foresight results (see [`foresight`]).
    pub foresight: Arc<foresight::ResultsCache>,
    /// Rule sets, loaded at start (rules as code).
    pub rules: Arc<rules::RuleSets>,
    /// The life-event catalogue (shipped, embedded in the binary).
    pub journeys: Arc<samlet_journeys::Catalogue>,
}

impl AppState {
    pub async fn new(store: Arc<dyn Store>, config: Config) -> anyhow::Result<Self> {
        let oidc = match &config.oidc {
            Some(c) => Some(Arc::new(oidc::Provider::discover(c.clone()).await?)),
            None => None,
        };
        let rules = match &config.rules_dir {
            Some(dir) => rules::RuleSets::load_dir(dir)?,
            None => rules::RuleSets::shipped()?,
        };
        Ok(Self {
            rules: Arc::new(rules),
            journeys: Arc::new(
                samlet_journeys::shipped_catalogue().map_err(|e| anyhow::anyhow!("{e}"))?,
            ),
            pseudo: Pseudonymizer::new(&config.secret),
            login_limiter: Arc::new(auth::LoginLimiter::new(config.login_per_minute)),
            store,
            metrics: middleware::metrics_handle(),
            templates: Arc::new(web::Templates::new()?),
            oidc,
            foresight: Arc::default(),
            config: Arc::new(config),
        })
    }
}

/// Bind, then serve until ctrl-c / SIGTERM. Returns the bound address
/// through `on_bound` (port 0 picks a free port, as the tests do).
pub async fn serve(state: AppState, on_bound: impl FnOnce(SocketAddr)) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(state.config.listen).await?;
    let addr = listener.local_addr()?;
    on_bound(addr);
    spawn_housekeeping(state.store.clone());
    let app = router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    Ok(())
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
