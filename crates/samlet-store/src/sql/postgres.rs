//! The production backend. Replicas of the server share one PostgreSQL, so
//! all state (sessions, tokens, replay protection) lives here, not in memory.
//!
//! **Two pools.** The writer pool connects to the primary. The reader pool
//! connects to `read_url` when one is given (a streaming replica, which may
//! lag behind by a moment), else to the primary as well, so that a burst of
//! page views cannot take the connections writes need. Which pool a method
//! uses is decided by one rule:
//!
//! - **reader**: what a person looks at and may see a moment late: the
//!   overview (also an agency's filtered one), messages, journeys and offers,
//!   the person's own log entries, lists of mandates, consents and bases,
//!   foresight lists and counts.
//! - **writer** (`fresh`): everything that writes, and every read whose
//!   answer must include the latest commit: sessions, agency and token
//!   look-ups, calendar tokens and anything else used to authorise a request
//!   (right after a login or grant), the read inside a write flow (a journey
//!   before its answer, a consent before its decision, ingest's pre-read,
//!   the offers re-run), and the transparency log's tree, which the append
//!   path extends and proofs must agree with.
//!
//! `conformance::read_your_writes_with_a_lagging_reader` holds this rule to
//! account with a reader that sees nothing at all.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::sql::overview::{self as ov, OverviewRows};
use crate::Result;

#[derive(Debug, Clone)]
pub struct PostgresStore {
    /// May lag behind `writer` (a read replica).
    pub(crate) reader: PgPool,
    pub(crate) writer: PgPool,
    /// Reads that must see every commit: the writer's pool.
    pub(crate) fresh: PgPool,
}

impl PostgresStore {
    /// Connect and migrate, e.g. `postgres://samlet@localhost/samlet`.
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, None).await
    }

    /// Connect and migrate the primary at `url`; read the lag-tolerant
    /// views from `read_url` (a replica of it) when given. The replica is
    /// not migrated: it follows the primary.
    pub async fn open_with(url: &str, read_url: Option<&str>) -> Result<Self> {
        // Connections per pool; a server holds two pools.
        let max = std::env::var("SAMLET_DB_POOL")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(16);
        let pool = || {
            PgPoolOptions::new()
                .max_connections(max)
                .acquire_timeout(Duration::from_secs(10))
        };
        let writer = pool().connect(url).await?;
        sqlx::migrate!("./migrations/postgres").run(&writer).await?;
        let reader = pool().connect(read_url.unwrap_or(url)).await?;
        Ok(Self {
            reader,
            fresh: writer.clone(),
            writer,
        })
    }
}

impl PostgresStore {
    /// The overview's rows from one statement ([`ov::PG_OVERVIEW`]).
    pub(crate) async fn overview_rows(
        &self,
        pid: &str,
        limits: crate::OverviewLimits,
    ) -> Result<OverviewRows> {
        let parts: OverviewParts = sqlx::query_as(ov::PG_OVERVIEW)
            .bind(pid)
            .bind(limits.messages)
            .fetch_one(&self.reader)
            .await?;
        Ok(OverviewRows {
            cases: json_rows(parts.cases)?,
            events: json_rows(parts.events)?,
            deadlines: json_rows(parts.deadlines)?,
            benefits: json_rows(parts.benefits)?,
            message_counts: match parts.counts {
                Some(c) => serde_json::from_str(&c).map_err(json_error)?,
                None => ov::MessageCounts::default(),
            },
            messages: json_rows(parts.messages)?,
        })
    }

    pub(crate) async fn message_rows(
        &self,
        pid: &str,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ov::MessageRow>> {
        Ok(sqlx::query_as(ov::MESSAGES)
            .bind(pid)
            .bind(limit)
            .bind(offset)
            .fetch_all(&self.reader)
            .await?)
    }

    pub(crate) async fn session_row(
        &self,
        id_hash: &[u8],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<crate::Session>> {
        Ok(sqlx::query_as(ov::SESSION)
            .bind(id_hash)
            .bind(now)
            .fetch_optional(&self.fresh)
            .await?
            .map(|r: ov::SessionRow| r.into()))
    }
}

/// [`ov::PG_OVERVIEW`]'s one row: each part a JSON array of rows.
#[derive(sqlx::FromRow)]
struct OverviewParts {
    cases: Option<String>,
    events: Option<String>,
    deadlines: Option<String>,
    benefits: Option<String>,
    counts: Option<String>,
    messages: Option<String>,
}

/// One part of [`ov::PG_OVERVIEW`]: a JSON array of row arrays, or NULL for none.
fn json_rows<T: serde::de::DeserializeOwned>(part: Option<String>) -> Result<Vec<T>> {
    match part {
        Some(json) => serde_json::from_str(&json).map_err(json_error),
        None => Ok(Vec::new()),
    }
}

/// PostgreSQL built the JSON from typed columns, so a row that does not read
/// back is a bug here, reported like any other decoding failure.
fn json_error(e: serde_json::Error) -> crate::StoreError {
    sqlx::Error::Decode(Box::new(e)).into()
}

impl PostgresStore {
    /// Nothing cached: replicas share sessions through the database.
    pub(crate) fn forget_session(&self, _id_hash: &[u8]) {}
}

/// What the shared code (`shared/`) needs to know of this backend.
type This = PostgresStore;
type Db = sqlx::Postgres;
const BACKEND: &str = "postgres";
/// Reads and locks the log's tree head before an append, so that replicas
/// of the server append one at a time.
const LOCK_LOG_HEAD: &str = "SELECT size FROM log_head WHERE id = 1 FOR UPDATE";

#[allow(clippy::duplicate_mod)] // compiled once per backend, see its docs
#[path = "shared/mod.rs"]
mod shared;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    #[test]
    fn json_rows_read_what_postgres_writes_in_any_session_time_zone() {
        // json_build_array writes timestamptz in the session's time zone.
        type Row = (DateTime<Utc>, Option<DateTime<Utc>>, NaiveDate, i64);
        let rows: Vec<Row> = json_rows(Some(
            r#"[["2026-01-02T03:04:05.123456+01:00", null, "2026-06-01", 176600]]"#.into(),
        ))
        .unwrap();
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 2, 4, 5).unwrap()
            + chrono::Duration::microseconds(123_456);
        assert_eq!(
            rows,
            [(
                t,
                None,
                NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
                176_600
            )]
        );
        assert!(json_rows::<(i64,)>(None).unwrap().is_empty());
        // Named rows read from arrays by position, as PG_OVERVIEW writes them.
        let counts: ov::MessageCounts = serde_json::from_str("[3, 1]").unwrap();
        assert_eq!((counts.total, counts.unread), (3, 1));
        assert!(json_rows::<(i64,)>(Some(r#"[["x"]]"#.into())).is_err());
    }
}
