//! Migration 0014 keeps offers as message ids with arguments. Offers written by the old schema
//! (texts in bokmål and English) come through: a title that is a shipped offer's text gets that
//! offer's message id; every other text stays readable as `stored-text` with `nb` and `en`.

use std::str::FromStr;

use samlet_store::{PostgresStore, SqliteStore, Store};
use sqlx::migrate::Migrator;

const OLD: &str = "
INSERT INTO agencies (id, org, name, created_at) VALUES
  (1, '974761076', 'Skatteetaten', '2026-01-01T00:00:00+00:00');
INSERT INTO life_events (agency_id, event_id, pid, kind, event_date, body, created_at) VALUES
  (1, 'birth-1', 'baby', 'birth', '2026-01-10', '{}', '2026-01-10T00:00:00+00:00');
INSERT INTO offers (pid, ruleset, period, amount, explanation_nb, explanation_en, apply_url,
                    agency_id, event_id, created_at, title_nb, title_en, unit, reason) VALUES
  ('kari', 'child-benefit', '2026-02', '1968', 'Barnetrygd – februar 2026', 'Child benefit – February 2026',
   'https://www.nav.no/barnetrygd', 1, 'birth-1', '2026-01-10T00:00:00+00:00',
   'barnetrygd', 'child benefit', 'month', 'event'),
  ('kari', 'housing-aid', '2026-02', '500', 'Bostøtte: \"fordi\"', 'Housing aid: \"because\"',
   NULL, NULL, NULL, '2026-01-11T00:00:00+00:00',
   'bostøtte', 'housing aid', 'month', 'rule-change');
";

async fn check(store: &dyn Store) {
    let offers = store.offers_for("kari").await.expect("offers");
    assert_eq!(offers.len(), 2);
    let child = offers
        .iter()
        .find(|o| o.offer.ruleset == "child-benefit")
        .expect("child benefit");
    assert_eq!(
        child.offer.title.id,
        "offer-child-benefit-after-birth-title"
    );
    assert_eq!(child.offer.amount, "1968");
    assert_eq!(child.offer.reason, "event");
    let args = |json: &str| serde_json::from_str::<serde_json::Value>(json).expect("args");
    assert_eq!(child.offer.explanation.id, "stored-text");
    assert_eq!(
        args(&child.offer.explanation.args_json),
        serde_json::json!({"nb": "Barnetrygd – februar 2026", "en": "Child benefit – February 2026"})
    );
    let other = offers
        .iter()
        .find(|o| o.offer.ruleset == "housing-aid")
        .expect("housing aid");
    assert_eq!(other.offer.title.id, "stored-text");
    assert_eq!(
        args(&other.offer.title.args_json),
        serde_json::json!({"nb": "bostøtte", "en": "housing aid"})
    );
    assert_eq!(
        args(&other.offer.explanation.args_json),
        serde_json::json!({"nb": "Bostøtte: \"fordi\"", "en": "Housing aid: \"because\""})
    );
    assert_eq!(other.offer.apply_url, None);
}

fn before_0014(all: Migrator) -> Migrator {
    Migrator {
        migrations: all
            .migrations
            .iter()
            .filter(|m| m.version < 14)
            .cloned()
            .collect(),
        ..Migrator::DEFAULT
    }
}

#[tokio::test]
async fn sqlite_offers_written_before_messages_survive_the_migration() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let opts = SqliteConnectOptions::from_str(&url)
        .expect("url")
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .expect("open");
    before_0014(sqlx::migrate!("./migrations/sqlite"))
        .run(&pool)
        .await
        .expect("migrations 1-13");
    sqlx::raw_sql(OLD).execute(&pool).await.expect("old rows");
    pool.close().await;
    let store = SqliteStore::open(&url).await.expect("open migrates");
    check(&store).await;
}

#[tokio::test]
async fn postgres_offers_written_before_messages_survive_the_migration() {
    let Some(url) = samlet_store::testing::fresh_postgres_database("offer_msgs").await else {
        return;
    };
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .expect("connect");
    before_0014(sqlx::migrate!("./migrations/postgres"))
        .run(&pool)
        .await
        .expect("migrations 1-13");
    sqlx::raw_sql(OLD).execute(&pool).await.expect("old rows");
    pool.close().await;
    let store = PostgresStore::open(&url).await.expect("open migrates");
    check(&store).await;
}
