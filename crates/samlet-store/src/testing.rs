//! Helpers for tests that need a real PostgreSQL.

use sqlx::{Connection, PgConnection};

/// Create an empty database on the server named by
/// `SAMLET_TEST_POSTGRES_URL` and return its URL. Returns `None` (the test
/// skips) when the variable is unset, unless `SAMLET_REQUIRE_POSTGRES=1`,
/// which CI sets so that a missing server fails the run.
pub async fn fresh_postgres_database(prefix: &str) -> Option<String> {
    let Ok(admin) = std::env::var("SAMLET_TEST_POSTGRES_URL") else {
        if std::env::var("SAMLET_REQUIRE_POSTGRES").as_deref() == Ok("1") {
            panic!("SAMLET_REQUIRE_POSTGRES=1 but SAMLET_TEST_POSTGRES_URL is not set");
        }
        eprintln!("skipping: set SAMLET_TEST_POSTGRES_URL to run against PostgreSQL");
        return None;
    };
    let name = format!("samlet_{prefix}_{:016x}", rand::random::<u64>());
    let mut conn = PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("connect to SAMLET_TEST_POSTGRES_URL: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("create test database: {e}"));
    let mut url =
        url::Url::parse(&admin).unwrap_or_else(|e| panic!("SAMLET_TEST_POSTGRES_URL: {e}"));
    url.set_path(&name);
    Some(url.to_string())
}
