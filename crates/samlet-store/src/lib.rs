//! **API Boundary**: the one storage interface of Samlet.
//!
//! [`Store`] is implemented twice from one body of SQL
//! ([`sqlite::SqliteStore`], the embedded default, and
//! [`postgres::PostgresStore`], for production). Both must pass
//! [`conformance`], which the test suite runs against SQLite always and
//! against a real PostgreSQL when `SAMLET_TEST_POSTGRES_URL` is set (CI sets it).
//!
//! **Architecture Invariant**: no crate but this one writes SQL.

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use samlet_domain::OrgNumber;

pub mod access_log;
pub mod conformance;
pub mod conformance_log;
mod foresight;
mod journeys;
mod model;
mod sql;
pub mod testing;
// Representation and consent.
mod representation;
mod sharing;

pub use access_log::*;
pub use foresight::*;
pub use journeys::*;
pub use model::*;
pub use representation::*;
pub use sharing::*;
pub use sql::{postgres::PostgresStore, sqlite::SqliteStore};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("an agency with organisation number {0} is already registered")]
    AgencyExists(String),
    #[error("unsupported database URL \"{0}\": use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("a read URL (a read replica) needs PostgreSQL for both the database and the replica")]
    ReadUrlNeedsPostgres,
    #[error("the join code {0} is already in use")]
    JoinCodeTaken(String),
    /// Another writer extended the transparency log first; reload and retry.
    #[error("the log's tree head moved: prepared at size {expected}, stored size is {found}")]
    StaleLogHead { expected: u64, found: i64 },
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Limits on how much of an overview is returned at once.
#[derive(Debug, Clone, Copy)]
pub struct OverviewLimits {
    pub messages: i64,
    pub closed_cases: i64,
}

impl Default for OverviewLimits {
    fn default() -> Self {
        Self {
            messages: 50,
            closed_cases: 50,
        }
    }
}

/// What an agency bearer token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Made by `samlet demo` and tests; accepted only in dev mode.
    Dev,
    /// Issued by the token endpoint.
    Access,
}

impl TokenKind {
    /// The kind's column text.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenKind::Dev => "dev",
            TokenKind::Access => "access",
        }
    }
}

impl std::str::FromStr for TokenKind {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, UnknownValue> {
        match s {
            "dev" => Ok(TokenKind::Dev),
            "access" => Ok(TokenKind::Access),
            _ => Err(UnknownValue::new("token kind", s)),
        }
    }
}

/// Column text that names none of the values of the enum it is stored
/// for: the database holds something this version does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}")]
pub struct UnknownValue {
    /// What the column holds, e.g. "token kind".
    pub what: &'static str,
    pub value: String,
}

impl UnknownValue {
    pub fn new(what: &'static str, value: &str) -> Self {
        Self {
            what,
            value: value.to_owned(),
        }
    }
}

impl From<UnknownValue> for StoreError {
    fn from(e: UnknownValue) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// A bearer token that is valid now, with its agency.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    /// The agency, with the scopes it holds now.
    pub agency: Agency,
    pub kind: TokenKind,
    /// What the token was issued for; the agency may hold less by now.
    pub scopes: samlet_domain::ScopeSet,
}

#[async_trait]
pub trait Store:
    AccessLogStore
    + ForesightStore
    + JourneyStore
    // Representation and consent.
    + RepresentationStore
    + SharingStore
    + Send
    + Sync
    + 'static
{
    /// "sqlite" or "postgres", for metrics and `/ready`.
    fn backend(&self) -> &'static str;
    async fn ping(&self) -> Result<()>;

    // Agencies and their credentials.
    async fn create_agency(&self, org: &OrgNumber, name: &str) -> Result<Agency>;
    async fn agency_by_org(&self, org: &OrgNumber) -> Result<Option<Agency>>;
    async fn agency_by_client_id(&self, client_id: &str) -> Result<Option<Agency>>;
    async fn list_agencies(&self) -> Result<Vec<Agency>>;
    /// Register the agency's public keys for the JWT-bearer grant.
    async fn set_agency_keys(&self, org: &OrgNumber, client_id: &str, jwks: &str) -> Result<bool>;
    /// Replace the scopes an agency holds (the operator's grant or
    /// revocation, logged by the caller first); false if no such agency.
    async fn set_agency_scopes(&self, org: &OrgNumber, scopes: samlet_domain::ScopeSet) -> Result<bool>;
    async fn insert_agency_token(
        &self,
        token_hash: &[u8],
        agency_id: i64,
        kind: TokenKind,
        scopes: samlet_domain::ScopeSet,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<()>;
    /// The agency a bearer token belongs to (with the scopes it holds now),
    /// with the token's kind and scopes.
    async fn agency_for_token(
        &self,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Option<TokenGrant>>;
    /// Record a JWT id; false when it was seen before (a replay).
    async fn record_jti(
        &self,
        client_id: &str,
        jti: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<bool>;

    // Ingest. Every accepted item is durable when this returns.
    async fn ingest(&self, agency_id: i64, items: Vec<Item>) -> Result<Vec<Result<(), Rejection>>>;

    // The citizen's side.
    async fn overview(&self, pid: &str, limits: OverviewLimits) -> Result<Overview>;
    /// Open one message: returns it with the body and marks it read.
    async fn open_message(
        &self,
        pid: &str,
        org: &str,
        message_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<MessageView>>;
    /// One message with its body, as it is: reading it changes nothing.
    async fn message(&self, pid: &str, org: &str, message_id: &str)
        -> Result<Option<MessageView>>;
    /// Mark one of the person's messages read (kept at the first time);
    /// `false` when the person has no such message.
    async fn mark_message_read(
        &self,
        pid: &str,
        org: &str,
        message_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// A page of messages, newest first.
    async fn messages(&self, pid: &str, offset: i64, limit: i64) -> Result<Vec<MessageView>>;

    /// Replace the person's calendar feed token (the old URL stops working).
    async fn set_calendar_token(
        &self,
        pid: &str,
        token_hash: &[u8],
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn revoke_calendar_tokens(&self, pid: &str, now: DateTime<Utc>) -> Result<u64>;
    async fn pid_for_calendar_token(&self, token_hash: &[u8]) -> Result<Option<String>>;

    async fn create_session(&self, id_hash: &[u8], session: &Session) -> Result<()>;
    async fn session(&self, id_hash: &[u8], now: DateTime<Utc>) -> Result<Option<Session>>;
    async fn delete_session(&self, id_hash: &[u8]) -> Result<()>;
    /// Remove expired sessions, tokens and JWT ids.
    async fn purge_expired(&self, now: DateTime<Utc>) -> Result<u64>;
}

/// Open the store a URL names (`sqlite://…` or `postgres://…`) and migrate it.
pub async fn connect(url: &str) -> Result<Arc<dyn Store>> {
    connect_with(&ConnectOptions::new(url)).await
}

/// Where the store's data is: the database, and optionally a read replica
/// of it for the views that tolerate a moment's lag (PostgreSQL only).
#[derive(Clone)]
pub struct ConnectOptions {
    url: String,
    read_url: Option<String>,
}

impl ConnectOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            read_url: None,
        }
    }

    /// Read the lag-tolerant views from this replica of the database.
    pub fn read_url(mut self, read_url: Option<String>) -> Self {
        self.read_url = read_url;
        self
    }
}

/// URLs can carry passwords: only the schemes are shown.
impl std::fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scheme = |u: &str| u.split(':').next().unwrap_or("").to_owned();
        f.debug_struct("ConnectOptions")
            .field("url", &scheme(&self.url))
            .field("read_url", &self.read_url.as_deref().map(scheme))
            .finish()
    }
}

/// Open the store the options name and migrate it.
pub async fn connect_with(opts: &ConnectOptions) -> Result<Arc<dyn Store>> {
    let url = opts.url.as_str();
    let postgres = |u: &str| u.starts_with("postgres:") || u.starts_with("postgresql:");
    if let Some(read) = opts.read_url.as_deref() {
        if !postgres(url) || !postgres(read) {
            return Err(StoreError::ReadUrlNeedsPostgres);
        }
    }
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if postgres(url) {
        Ok(Arc::new(
            PostgresStore::open_with(url, opts.read_url.as_deref()).await?,
        ))
    } else {
        Err(StoreError::UnsupportedUrl(
            url.split('@').next_back().unwrap_or("").to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_read_replica_is_for_postgres_only() {
        let opts = ConnectOptions::new("sqlite://unused.db")
            .read_url(Some("postgres://replica/samlet".into()));
        assert!(matches!(
            connect_with(&opts).await,
            Err(StoreError::ReadUrlNeedsPostgres)
        ));
        let opts = ConnectOptions::new("postgres://u:secret@primary/samlet")
            .read_url(Some("sqlite://replica.db".into()));
        assert!(matches!(
            connect_with(&opts).await,
            Err(StoreError::ReadUrlNeedsPostgres)
        ));
    }

    #[test]
    fn token_kinds_read_back_and_an_unknown_one_is_corrupt_data() {
        for kind in [TokenKind::Dev, TokenKind::Access] {
            assert_eq!(kind.as_str().parse(), Ok(kind));
        }
        let err = "root".parse::<TokenKind>().expect_err("unknown");
        assert_eq!(err.to_string(), "unknown token kind \"root\"");
        assert!(matches!(StoreError::from(err), StoreError::Corrupt(_)));
    }

    #[test]
    fn options_never_show_a_password() {
        let opts = ConnectOptions::new("postgres://u:secret@primary/samlet")
            .read_url(Some("postgres://u:hidden@replica/samlet".into()));
        let shown = format!("{opts:?}");
        assert!(
            !shown.contains("secret") && !shown.contains("hidden"),
            "{shown}"
        );
        assert!(shown.contains("postgres"), "{shown}");
    }
}
