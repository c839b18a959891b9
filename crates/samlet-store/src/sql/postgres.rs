//! The production backend. Replicas of the server share one PostgreSQL, so
//! all state (sessions, tokens, replay protection) lives here, not in memory.

use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};

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

crate::sql::impl_store!(PostgresStore, "postgres");
crate::sql::foresight::impl_foresight_store!(PostgresStore);
crate::sql::journeys::impl_journey_store!(PostgresStore);
crate::sql::access_log::impl_access_log_store!(PostgresStore, sqlx::Postgres, " FOR UPDATE");
// Representation and consent (issue 4).
crate::sql::representation::impl_representation_store!(PostgresStore);
