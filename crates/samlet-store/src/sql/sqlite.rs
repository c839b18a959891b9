//! The embedded default: one SQLite file in WAL mode.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::sql::overview::{MessageRow, OverviewRows};
use crate::sql::sqlite_read::{ReadPool, SessionCache};
use crate::Result;

/// SQLite allows one writer at a time. Writes go through a one-connection
/// pool so that concurrent requests queue in-process instead of failing with
/// SQLITE_BUSY; reads use their own pool and see committed data (WAL).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) reader: SqlitePool,
    pub(crate) writer: SqlitePool,
    /// Reads that must see every commit. WAL readers of the one file do,
    /// so this is the reader pool, and the one writer connection stays free
    /// for writes.
    pub(crate) fresh: SqlitePool,
    /// The hot reads (overview, messages, sessions); see `sqlite_read`.
    pub(crate) hot: Arc<ReadPool>,
    pub(crate) sessions: Arc<SessionCache>,
}

impl SqliteStore {
    /// Open (creating if missing) and migrate, e.g. `sqlite:///var/lib/samlet/samlet.db`.
    pub async fn open(url: &str) -> Result<Self> {
        let opts = SqliteConnectOptions::from_str(url)?;
        let hot = Arc::new(ReadPool::new(opts.get_filename()));
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk when it returns, so an acknowledged
            // ingest survives a crash or power loss, not just a killed process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&writer).await?;
        let readers = std::thread::available_parallelism()
            .map(|n| n.get() as u32 * 4)
            .unwrap_or(8);
        let reader = SqlitePoolOptions::new()
            .max_connections(readers)
            .connect_with(opts.pragma("mmap_size", "1073741824"))
            .await?;
        Ok(Self {
            fresh: reader.clone(),
            reader,
            writer,
            hot,
            sessions: Arc::default(),
        })
    }
}

impl SqliteStore {
    pub(crate) async fn overview_rows(
        &self,
        pid: &str,
        limits: crate::OverviewLimits,
    ) -> Result<OverviewRows> {
        self.hot.overview_rows(pid, limits).await
    }

    pub(crate) async fn message_rows(
        &self,
        pid: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<MessageRow>> {
        self.hot.message_rows(pid, offset, limit).await
    }

    pub(crate) async fn session_row(
        &self,
        id_hash: &[u8],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<crate::Session>> {
        let (hit, generation) = self.sessions.get(id_hash, now);
        if hit.is_some() {
            return Ok(hit);
        }
        let found = self.hot.session(id_hash, now).await?;
        if let Some(s) = &found {
            self.sessions.put(id_hash, s, generation);
        }
        Ok(found)
    }

    /// After the row is gone: evict it, so logout takes effect at once.
    pub(crate) fn forget_session(&self, id_hash: &[u8]) {
        self.sessions.evict(id_hash);
    }
}

/// What the shared code (`shared/`) needs to know of this backend.
type This = SqliteStore;
type Db = sqlx::Sqlite;
const BACKEND: &str = "sqlite";
/// Reads the log's tree head before an append. SQLite has one writer
/// connection, so appends are already one at a time (and it has no row locks).
const LOCK_LOG_HEAD: &str = "SELECT size FROM log_head WHERE id = 1";

#[allow(clippy::duplicate_mod)] // compiled once per backend, see its docs
#[path = "shared/mod.rs"]
mod shared;
