//! The transparency log's storage suite against SQLite and PostgreSQL.

use samlet_store::{conformance_log, PostgresStore, SqliteStore};

#[tokio::test]
async fn sqlite_passes_the_access_log_suite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url).await.expect("open sqlite");
    conformance_log::run_all(&store).await;
}

#[tokio::test]
async fn postgres_passes_the_access_log_suite() {
    let Some(url) = samlet_store::testing::fresh_postgres_database("log").await else {
        return;
    };
    let store = PostgresStore::open(&url).await.expect("open postgres");
    conformance_log::run_all(&store).await;
}
