use std::sync::Arc;

use chrono::NaiveDate;
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use samlet_domain::{OrgNumber, Pid};
use samlet_server::{AppState, Config};
use samlet_store::Store;
use serde_json::Value;

pub struct TestApp {
    pub base: String,
    pub store: Arc<dyn Store>,
    pub http: reqwest::Client,
    pub _dir: tempfile::TempDir,
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

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = samlet_store::connect(&url).await.expect("store");
        let mut config = Config::dev("127.0.0.1:0".parse().expect("addr"), url);
        adjust(&mut config);
        Self::start(store, config, dir).await
    }

    /// The same server on a fresh PostgreSQL database; `None` when no
    /// server is configured (the test then skips, except in CI).
    pub async fn spawn_postgres() -> Option<Self> {
        let url = samlet_store::testing::fresh_postgres_database("api").await?;
        let store = samlet_store::connect(&url).await.expect("postgres store");
        let config = Config::dev("127.0.0.1:0".parse().expect("addr"), url);
        Some(Self::start(store, config, tempfile::tempdir().expect("tempdir")).await)
    }

    pub async fn start(store: Arc<dyn Store>, config: Config, dir: tempfile::TempDir) -> Self {
        let public_from_addr = config.public_url.contains(":0");
        let listener = std::net::TcpListener::bind(config.listen).expect("bind");
        let addr = listener.local_addr().expect("addr");
        drop(listener);
        let mut config = config;
        config.listen = addr;
        if public_from_addr {
            config.public_url = format!("http://{addr}");
        }
        let state = AppState::new(store.clone(), config).await.expect("state");
        let (addr, _server) = samlet_server::spawn(state).await.expect("server started");
        let http = reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .expect("client");
        Self {
            base: format!("http://{addr}"),
            store,
            http,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Register an agency with a dev token.
    pub async fn agency(&self, first8: &str, name: &str) -> Agency {
        let org = OrgNumber::with_check_digit(first8).expect("org");
        let a = self.store.create_agency(&org, name).await.expect("agency");
        let token = samlet_server::auth::random_token("samlet_dev_");
        self.store
            .insert_agency_token(
                &samlet_server::auth::token_hash(&token),
                a.id,
                "dev",
                "samlet:write samlet:read",
                None,
            )
            .await
            .expect("token");
        Agency {
            id: a.id,
            org: org.to_string(),
            token,
        }
    }

    /// The operator grants `scopes` (space-separated) to the agency, as
    /// `samlet agency grant` does (recorded in the transparency log).
    pub async fn grant(&self, agency: &Agency, scopes: &str) {
        let org = OrgNumber::parse(&agency.org).expect("org");
        let scopes = samlet_domain::ScopeSet::parse_list(scopes).expect("scopes");
        samlet_server::authority::grant(self.store.as_ref(), &org, scopes, "test operator")
            .await
            .expect("grant");
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

    pub async fn get_as(&self, cookie: &str, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .header(COOKIE, cookie)
            .send()
            .await
            .expect("request")
    }

    /// The surname the population register has for `pid` (its last word),
    /// registering "Test Testesen" first when it has none: giving a power
    /// of attorney needs the representative's surname.
    pub async fn surname(&self, pid: &Pid) -> String {
        let name = match self.store.person_name(pid.as_str()).await.expect("name") {
            Some(n) => n,
            None => {
                self.store
                    .upsert_person_names(
                        &[(pid.to_string(), "Test Testesen".to_owned())],
                        chrono::Utc::now(),
                    )
                    .await
                    .expect("names");
                "Test Testesen".to_owned()
            }
        };
        name.split_whitespace()
            .last()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn overview(&self, cookie: &str) -> Value {
        let res = self.get_as(cookie, "/api/v1/me/overview").await;
        assert_eq!(res.status(), 200);
        res.json().await.expect("json")
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
