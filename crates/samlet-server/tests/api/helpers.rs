//! What the server tests share, in one place: the [`TestApp`] builder that
//! starts every server under test, and the fixtures (agencies and their
//! tokens, persons, citizen logins, signed assertions, page scraping).

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{Duration, NaiveDate, Utc};
use ed25519_dalek::pkcs8::EncodePrivateKey;
use ed25519_dalek::SigningKey;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use samlet_domain::{OrgNumber, Pid};
use samlet_server::{AppState, Config, OidcConfig};
use samlet_store::{Store, TokenKind};
use serde_json::{json, Value};

/// A Samlet server on a loopback port, with its store and an HTTP client
/// that does not follow redirects.
pub struct TestApp {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub http: reqwest::Client,
    /// The database the server runs on; a second server can share it.
    pub db_url: String,
    /// Where `/metrics` is served, when built with [`TestAppBuilder::metrics`].
    pub metrics_base: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

enum Database {
    /// A fresh SQLite file in a temporary directory.
    Sqlite,
    /// A fresh database on the PostgreSQL server of `SAMLET_TEST_POSTGRES_URL`.
    Postgres,
    /// An existing database, e.g. another test server's.
    Url(String),
}

type Adjust = Box<dyn FnOnce(&mut Config)>;

/// How a [`TestApp`] is started; [`TestApp::builder`].
pub struct TestAppBuilder {
    database: Database,
    adjust: Vec<Adjust>,
    metrics: bool,
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            database: Database::Sqlite,
            adjust: Vec::new(),
            metrics: false,
        }
    }

    /// The default server: dev mode on a fresh SQLite database.
    pub async fn spawn() -> Self {
        Self::builder().spawn().await
    }
}

impl TestAppBuilder {
    /// Run on a fresh PostgreSQL database; start with [`Self::try_spawn`],
    /// which gives `None` (the test skips) when no server is configured.
    pub fn postgres(mut self) -> Self {
        self.database = Database::Postgres;
        self
    }

    /// Run on an existing database (a restart, or a second server beside
    /// the first).
    pub fn database(mut self, url: impl Into<String>) -> Self {
        self.database = Database::Url(url.into());
        self
    }

    /// Change the configuration; changes apply in the order given, after
    /// [`Config::dev`].
    pub fn config(mut self, adjust: impl FnOnce(&mut Config) + 'static) -> Self {
        self.adjust.push(Box::new(adjust));
        self
    }

    /// Production login through the OpenID Connect provider at `issuer`:
    /// no dev mode, real person ids only (a later [`Self::config`] can
    /// relax that).
    pub fn oidc(self, issuer: &str) -> Self {
        let oidc = OidcConfig {
            issuer: issuer.to_owned(),
            client_id: "samlet".into(),
            client_secret: "s3cret".into(),
            pid_claim: "pid".into(),
            scopes: "openid profile".into(),
        };
        self.config(move |c| {
            c.dev = false;
            c.pid_policy = samlet_domain::PidPolicy::PRODUCTION;
            c.oidc = Some(oidc);
        })
    }

    /// Serve `/metrics` on a listener of its own ([`TestApp::metrics_base`]).
    pub fn metrics(mut self) -> Self {
        self.metrics = true;
        self
    }

    /// Start the server. Panics if PostgreSQL was asked for and none is
    /// configured: such tests use [`Self::try_spawn`].
    pub async fn spawn(self) -> TestApp {
        self.try_spawn()
            .await
            .expect("no PostgreSQL configured: use try_spawn and skip")
    }

    /// Start the server; `None` when PostgreSQL was asked for and
    /// `SAMLET_TEST_POSTGRES_URL` is not set.
    pub async fn try_spawn(self) -> Option<TestApp> {
        let (db_url, dir) = match self.database {
            Database::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}", dir.path().join("samlet.db").display());
                (url, Some(dir))
            }
            Database::Postgres => (
                samlet_store::testing::fresh_postgres_database("api").await?,
                None,
            ),
            Database::Url(url) => (url, None),
        };
        let store = samlet_store::connect(&db_url).await.expect("store");
        // Bound once and handed to the server: a port probed, closed and
        // bound again could be taken by another process in between.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let mut config = Config::dev(addr, db_url.clone());
        for adjust in self.adjust {
            adjust(&mut config);
        }
        config.listening_at(addr);
        let state = AppState::new(store.clone(), config).await.expect("state");
        let metrics_base = if self.metrics {
            let metrics = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind metrics");
            let at = metrics.local_addr().expect("metrics addr");
            samlet_server::spawn_metrics_on(metrics, state.metrics.clone());
            Some(format!("http://{at}"))
        } else {
            None
        };
        samlet_server::spawn_on(listener, state);
        Some(TestApp {
            base: format!("http://{addr}"),
            store,
            http: reqwest::Client::builder()
                .redirect(Policy::none())
                .build()
                .expect("client"),
            db_url,
            metrics_base,
            _dir: dir,
        })
    }
}

/// Serve a router that is not Samlet (a mock identity provider, a router
/// with a test route) on a loopback port; `app` gets the base URL it will
/// be served at. Returns that base URL.
pub async fn serve_router(app: impl FnOnce(&str) -> axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let app = app(&base);
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

/// A client that keeps its cookies and does not follow redirects, as a
/// browser the test steps through.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

pub struct Agency {
    pub id: i64,
    pub org: String,
    pub token: String,
}

/// A synthetic person; `n` picks which.
pub fn person(n: u32) -> Pid {
    let birth =
        NaiveDate::from_ymd_opt(1970 + (n % 50) as i32, 1 + n % 12, 1 + n % 28).expect("date");
    (0..1000)
        .find_map(|i| Pid::synthetic(birth, (i + n * 3) % 1000))
        .expect("pid")
}

/// A synthetic person born on this day.
pub fn born(y: i32, m: u32, d: u32) -> Pid {
    let birth = NaiveDate::from_ymd_opt(y, m, d).expect("date");
    (100..1000)
        .find_map(|i| Pid::synthetic(birth, i))
        .expect("pid")
}

/// A synthetic person `years_old` (and a month) today; `n` picks which.
pub fn minor(years_old: i64, n: u32) -> Pid {
    let birth = (Utc::now() - Duration::days(365 * years_old + 30)).date_naive();
    let birth = NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&birth),
        chrono::Datelike::month(&birth),
        1,
    )
    .expect("date");
    (0..1000)
        .find_map(|i| Pid::synthetic(birth, (i + n * 7) % 1000))
        .expect("pid")
}

/// An agency's Maskinporten-style key: it signs JWT assertions (RFC 7523)
/// that the token endpoint exchanges for bearer tokens.
pub struct Signer {
    key: SigningKey,
    pub client_id: String,
}

impl Signer {
    pub fn new(client_id: &str) -> Self {
        Self {
            key: SigningKey::generate(&mut rand::rngs::OsRng),
            client_id: client_id.into(),
        }
    }

    pub fn jwks(&self) -> String {
        json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "kid": "k1", "alg": "EdDSA", "use": "sig",
            "x": URL_SAFE_NO_PAD.encode(self.key.verifying_key().as_bytes())}]})
        .to_string()
    }

    pub fn assertion(&self, claims: Value) -> String {
        let der = self.key.to_pkcs8_der().expect("der");
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::EdDSA);
        header.kid = Some("k1".into());
        jsonwebtoken::encode(
            &header,
            &claims,
            &jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
        )
        .expect("jwt")
    }

    /// Valid claims for `aud`, asking for `samlet:write`.
    pub fn claims(&self, aud: &str) -> Value {
        let now = Utc::now().timestamp();
        json!({"iss": self.client_id, "aud": aud, "iat": now, "exp": now + 60,
            "jti": uuid::Uuid::new_v4().to_string(), "scope": "samlet:write"})
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Register an agency with a dev token for `samlet:write samlet:read`.
    pub async fn agency(&self, first8: &str, name: &str) -> Agency {
        let org = OrgNumber::with_check_digit(first8).expect("org");
        let a = self.store.create_agency(&org, name).await.expect("agency");
        let token = self.dev_token(a.id, "samlet:write samlet:read").await;
        Agency {
            id: a.id,
            org: org.to_string(),
            token,
        }
    }

    /// Register an agency, grant it `scopes` (space-separated) and give it
    /// a dev token for them.
    pub async fn agency_with(&self, first8: &str, name: &str, scopes: &str) -> Agency {
        let a = self.agency(first8, name).await;
        self.grant(&a, scopes).await;
        let token = self.dev_token(a.id, scopes).await;
        Agency { token, ..a }
    }

    /// A dev token whose stored scope is `scopes`; the server still checks
    /// them against the agency's grants.
    pub async fn dev_token(&self, agency_id: i64, scopes: &str) -> String {
        self.token_of_kind(agency_id, TokenKind::Dev, scopes, None)
            .await
    }

    /// A token as the token endpoint issues them (works without dev mode),
    /// valid for five minutes.
    pub async fn access_token(&self, agency_id: i64, scopes: &str) -> String {
        let expires = Utc::now() + Duration::minutes(5);
        self.token_of_kind(agency_id, TokenKind::Access, scopes, Some(expires))
            .await
    }

    async fn token_of_kind(
        &self,
        agency_id: i64,
        kind: TokenKind,
        scopes: &str,
        expires: Option<chrono::DateTime<Utc>>,
    ) -> String {
        let prefix = if kind == TokenKind::Dev {
            "samlet_dev_"
        } else {
            "samlet_at_"
        };
        let token = samlet_server::auth::random_token(prefix);
        self.store
            .insert_agency_token(
                &samlet_server::auth::token_hash(&token),
                agency_id,
                kind,
                samlet_domain::ScopeSet::parse_lenient(scopes),
                expires,
            )
            .await
            .expect("token");
        token
    }

    /// The operator grants `scopes` (space-separated) to the agency, as
    /// `samlet agency grant` does (recorded in the transparency log).
    pub async fn grant(&self, agency: &Agency, scopes: &str) {
        let org = OrgNumber::parse(&agency.org).expect("org");
        let scopes = samlet_domain::ScopeSet::parse_list(scopes).expect("scopes");
        samlet_app::authority::grant(self.store.as_ref(), &org, scopes, "test operator")
            .await
            .expect("grant");
    }

    /// Register `signer`'s public key for the agency.
    pub async fn register_key(&self, agency: &Agency, signer: &Signer) {
        let org = OrgNumber::parse(&agency.org).expect("org");
        assert!(self
            .store
            .set_agency_keys(&org, &signer.client_id, &signer.jwks())
            .await
            .expect("keys"));
    }

    /// Exchange a signed assertion at the token endpoint.
    pub async fn token_request(&self, jwt: &str) -> reqwest::Response {
        self.http
            .post(self.url("/oauth/token"))
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", jwt),
            ])
            .send()
            .await
            .expect("token request")
    }

    pub async fn post_json(&self, agency: &Agency, path: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .bearer_auth(&agency.token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn bulk(&self, agency: &Agency, ndjson: String) -> reqwest::Response {
        self.http
            .post(self.url("/api/v1/bulk"))
            .bearer_auth(&agency.token)
            .header(CONTENT_TYPE, "application/x-ndjson")
            .body(ndjson)
            .send()
            .await
            .expect("request")
    }

    /// Dev-login and return the session cookie header value.
    pub async fn login(&self, pid: &Pid) -> String {
        let res = self
            .http
            .post(self.url("/auth/dev/login"))
            .form(&[("pid", pid.as_str())])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status(), 303, "dev login redirects");
        assert_eq!(
            res.headers().get(LOCATION).and_then(|v| v.to_str().ok()),
            Some("/me")
        );
        let set = res
            .headers()
            .get(SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .expect("cookie")
            .to_owned();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        set.split(';').next().expect("cookie pair").to_owned()
    }

    /// Dev-login in a browser of its own ([`browser`]).
    pub async fn citizen(&self, pid: &Pid) -> reqwest::Client {
        let c = browser();
        let r = c
            .post(self.url("/auth/dev/login"))
            .form(&[("pid", pid.as_str())])
            .send()
            .await
            .expect("login");
        assert_eq!(r.status(), 303, "dev login redirects");
        c
    }

    pub async fn get_as(&self, cookie: &str, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .header(COOKIE, cookie)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_as(&self, cookie: &str, path: &str, body: &Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .header(COOKIE, cookie)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete_as(&self, cookie: &str, path: &str) -> reqwest::Response {
        self.http
            .delete(self.url(path))
            .header(COOKIE, cookie)
            .send()
            .await
            .expect("request")
    }

    pub async fn overview(&self, cookie: &str) -> Value {
        let res = self.get_as(cookie, "/api/v1/me/overview").await;
        assert_eq!(res.status(), 200);
        res.json().await.expect("json")
    }

    /// The citizen's access log, newest first (up to 100 entries).
    pub async fn access_log(&self, cookie: &str) -> Vec<Value> {
        let res = self
            .get_as(cookie, "/api/v1/me/access-log?per_page=100")
            .await;
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.expect("json");
        v["entries"].as_array().cloned().unwrap_or_default()
    }

    /// Register `pid` under `name` in the population register, as
    /// Folkeregisteret does.
    pub async fn registered(&self, pid: &Pid, name: &str) {
        self.store
            .upsert_person_names(&[(pid.to_string(), name.to_owned())], Utc::now())
            .await
            .expect("names");
    }

    /// The surname the population register has for `pid` (its last word),
    /// registering "Test Testesen" first when it has none: giving a power
    /// of attorney needs the representative's surname.
    pub async fn surname(&self, pid: &Pid) -> String {
        let name = match self.store.person_name(pid.as_str()).await.expect("name") {
            Some(n) => n,
            None => {
                self.registered(pid, "Test Testesen").await;
                "Test Testesen".to_owned()
            }
        };
        name.split_whitespace()
            .last()
            .unwrap_or_default()
            .to_owned()
    }

    /// A foresight session made from a session file, as the strategy
    /// team's tooling creates it.
    pub async fn foresight_session(&self, file: Value) -> samlet_app::foresight::Created {
        let file =
            samlet_app::foresight::SessionFile::parse(&file.to_string()).expect("session file");
        samlet_app::foresight::create_session(self.store.as_ref(), file)
            .await
            .expect("session")
    }

    /// The href of the first person on the citizen's "acting for" page.
    pub async fn first_acting_for_link(&self, cookie: &str) -> String {
        let html = self
            .get_as(cookie, "/me/acting-for")
            .await
            .text()
            .await
            .expect("html");
        html.split("href=\"/me/acting-for/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(|h| format!("/me/acting-for/{h}"))
            .expect("a person link")
    }

    /// NAV (benefits) and Skatteetaten (tax) each push a case for `pid`.
    pub async fn two_agencies_with_cases(&self, pid: &Pid) -> (Agency, Agency) {
        let nav = self.agency("88964078", "NAV").await;
        let skatt = self.agency("97476107", "Skatteetaten").await;
        self.store
            .set_agency_areas(&nav.org, &["benefits".into(), "work".into()])
            .await
            .expect("areas");
        self.store
            .set_agency_areas(&skatt.org, &["tax".into()])
            .await
            .expect("areas");
        for (a, id, title) in [
            (&nav, "nav-1", "Dagpenger"),
            (&skatt, "tax-1", "Skattemelding"),
        ] {
            let res = self
                .post_json(
                    a,
                    "/api/v1/cases",
                    &json!({"pid": pid.as_str(), "case_id": id, "title": title, "status": "received",
                            "opened_at": "2026-01-05T09:00:00Z"}),
                )
                .await;
            assert!(res.status().is_success(), "case: {}", res.status());
        }
        (nav, skatt)
    }
}

/// Assert a problem+json response and return it.
pub async fn problem(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "status");
    let ct = res
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        ct.starts_with("application/problem+json"),
        "content type {ct}"
    );
    let v: Value = res.json().await.expect("problem body");
    assert_eq!(v["status"], status);
    assert!(
        v["detail"].as_str().map(|d| !d.is_empty()).unwrap_or(false),
        "a human detail: {v}"
    );
    assert!(
        v["instance"]
            .as_str()
            .map(|i| i.starts_with("urn:samlet:request:"))
            .unwrap_or(false),
        "request id: {v}"
    );
    v
}

/// The value of the first `name="csrf"` field in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker).expect("a csrf field");
    let rest = &html[at + marker.len()..];
    rest[..rest.find('"').expect("end of value")].to_owned()
}

/// The value of the `csrf` field of the form whose action ends with `action_end`.
pub fn csrf_after(html: &str, action_end: &str) -> String {
    let at = html.find(action_end).expect("the form");
    csrf_in(&html[at..])
}

/// The `name=value` pairs of every cookie the response sets.
pub fn cookie_pairs(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .map(str::to_owned)
        .collect()
}

/// The `name=value` pair of the cookie `name` the response sets.
pub fn cookie_pair(res: &reqwest::Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    cookie_pairs(res)
        .into_iter()
        .find(|c| c.starts_with(&prefix))
}
