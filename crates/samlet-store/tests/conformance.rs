//! The same conformance suite against SQLite (always) and PostgreSQL (when
//! `SAMLET_TEST_POSTGRES_URL` names a server; CI starts one and sets
//! `SAMLET_REQUIRE_POSTGRES=1` so a missing database fails instead of skipping).

use samlet_store::{conformance, PostgresStore, SqliteStore};

#[tokio::test]
async fn sqlite_passes_the_conformance_suite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url).await.expect("open sqlite");
    conformance::run_all(&store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_racing_ingests_never_move_a_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url).await.expect("open sqlite");
    conformance::racing_ingests_never_move_a_case(std::sync::Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_racing_ingests_never_move_a_case() {
    let Some(url) = samlet_store::testing::fresh_postgres_database("race").await else {
        return;
    };
    let store = PostgresStore::open(&url).await.expect("open postgres");
    conformance::racing_ingests_never_move_a_case(std::sync::Arc::new(store)).await;
}

#[tokio::test]
async fn postgres_passes_the_conformance_suite() {
    let Some(url) = samlet_store::testing::fresh_postgres_database("conf").await else {
        return;
    };
    let store = PostgresStore::open(&url).await.expect("open postgres");
    conformance::run_all(&store).await;
}

/// A replica that never catches up: an empty database with the schema.
#[tokio::test]
async fn postgres_reads_its_own_writes_with_a_lagging_replica() {
    let Some(primary) = samlet_store::testing::fresh_postgres_database("primary").await else {
        return;
    };
    let Some(replica) = samlet_store::testing::fresh_postgres_database("replica").await else {
        return;
    };
    PostgresStore::open(&replica)
        .await
        .expect("migrate the replica");
    let store = PostgresStore::open_with(&primary, Some(&replica))
        .await
        .expect("open postgres with a replica");
    conformance::replica::read_your_writes_with_a_lagging_reader(&store).await;
}
