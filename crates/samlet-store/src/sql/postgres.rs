//! The production backend. Replicas of the server share one PostgreSQL, so
//! all state (sessions, tokens, replay protection) lives here, not in memory.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};

use crate::sql::overview::{self as ov, OverviewRows};
use crate::Result;

#[derive(Debug, Clone)]
pub struct PostgresStore {
    pub(crate) reader: PgPool,
    pub(crate) writer: PgPool,
}

impl PostgresStore {
    /// Connect and migrate, e.g. `postgres://samlet@localhost/samlet`.
    pub async fn open(url: &str) -> Result<Self> {
        let max = std::env::var("SAMLET_DB_POOL")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(32);
        let pool = PgPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self {
            reader: pool.clone(),
            writer: pool,
        })
    }
}

impl PostgresStore {
    /// The overview's rows, in order on one pooled connection.
    pub(crate) async fn overview_rows(
        &self,
        pid: &str,
        limits: crate::OverviewLimits,
    ) -> Result<OverviewRows> {
        let mut conn = self.reader.acquire().await?;
        let cases: Vec<ov::CaseRow> = sqlx::query_as(ov::CASES)
            .bind(pid)
            .fetch_all(&mut *conn)
            .await?;
        let events: Vec<ov::EventRow> = if cases.is_empty() {
            Vec::new()
        } else {
            sqlx::query_as(ov::EVENTS)
                .bind(pid)
                .fetch_all(&mut *conn)
                .await?
        };
        let deadlines = sqlx::query_as(ov::DEADLINES)
            .bind(pid)
            .fetch_all(&mut *conn)
            .await?;
        let benefits = sqlx::query_as(ov::BENEFITS)
            .bind(pid)
            .fetch_all(&mut *conn)
            .await?;
        let message_counts = sqlx::query_as(ov::MESSAGE_COUNTS)
            .bind(pid)
            .fetch_one(&mut *conn)
            .await?;
        let messages = sqlx::query_as(ov::MESSAGES)
            .bind(pid)
            .bind(limits.messages)
            .bind(0_i64)
            .fetch_all(&mut *conn)
            .await?;
        Ok(OverviewRows {
            cases,
            events,
            deadlines,
            benefits,
            message_counts,
            messages,
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
        let row: Option<(String, String, chrono::DateTime<chrono::Utc>)> =
            sqlx::query_as(ov::SESSION)
                .bind(id_hash)
                .bind(now)
                .fetch_optional(&self.reader)
                .await?;
        Ok(row.map(|(pid, csrf, expires_at)| crate::Session {
            pid,
            csrf,
            expires_at,
        }))
    }
}

impl PostgresStore {
    /// Nothing cached: replicas share sessions through the database.
    pub(crate) fn forget_session(&self, _id_hash: &[u8]) {}
}

crate::sql::impl_store!(PostgresStore, "postgres");
crate::sql::foresight::impl_foresight_store!(PostgresStore);
crate::sql::journeys::impl_journey_store!(PostgresStore);
crate::sql::access_log::impl_access_log_store!(PostgresStore, sqlx::Postgres, " FOR UPDATE");
// Representation and consent (issue 4).
crate::sql::representation::impl_representation_store!(PostgresStore);
