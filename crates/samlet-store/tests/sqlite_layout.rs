//! Migration 0010 rebuilds SQLite's four item tables keyed by person. A
//! database written before it must come through whole: every row, the read
//! state of messages, the status timelines, foreign keys on afterwards.

use std::str::FromStr;

use samlet_store::{OverviewLimits, SqliteStore, Store};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::Row;

const OLD: &str = "
INSERT INTO agencies (id, org, name, created_at) VALUES
  (1, '889640782', 'NAV', '2026-01-01T00:00:00+00:00'),
  (2, '974760673', 'Skatteetaten', '2026-01-01T00:00:00+00:00');
INSERT INTO cases (agency_id, case_id, pid, title, status, service, url, opened_at, updated_at) VALUES
  (1, 'C1', 'A', 'Dagpenger', 'in_progress', 'dagpenger', NULL, '2026-01-02T00:00:00+00:00', '2026-01-05T00:00:00+00:00'),
  (2, 'C1', 'A', 'Skattemelding', 'received', NULL, 'https://skatt.example/1', '2026-01-03T00:00:00+00:00', '2026-01-03T00:00:00+00:00'),
  (1, 'C2', 'B', 'Sykepenger', 'decided', NULL, NULL, '2026-01-01T00:00:00+00:00', '2026-01-09T00:00:00+00:00');
INSERT INTO case_events (agency_id, case_id, status, at, note) VALUES
  (1, 'C1', 'received', '2026-01-02T00:00:00+00:00', NULL),
  (1, 'C1', 'in_progress', '2026-01-05T00:00:00+00:00', 'Vi ser på saken'),
  (2, 'C1', 'received', '2026-01-03T00:00:00+00:00', NULL),
  (1, 'C2', 'decided', '2026-01-09T00:00:00+00:00', NULL);
INSERT INTO deadlines (agency_id, deadline_id, pid, title, due_date, due_at, case_id, url, updated_at) VALUES
  (1, 'D1', 'A', 'Meldekort', '2026-02-01', NULL, 'C1', NULL, '2026-01-05T00:00:00+00:00'),
  (2, 'D1', 'B', 'Skattemelding', '2026-04-30', NULL, NULL, NULL, '2026-01-05T00:00:00+00:00');
INSERT INTO benefits (agency_id, benefit_id, pid, name, amount_minor, currency, next_payment, updated_at) VALUES
  (1, 'B1', 'A', 'Barnetrygd', 176600, 'NOK', '2026-02-20', '2026-01-05T00:00:00+00:00');
INSERT INTO messages (agency_id, message_id, pid, subject, body, sent_at, read_at) VALUES
  (1, 'M1', 'A', 'Vedtak', 'Innvilget', '2026-01-05T00:00:00+00:00', '2026-01-06T00:00:00+00:00'),
  (1, 'M2', 'A', 'Innkalling', 'Møt opp', '2026-01-07T00:00:00+00:00', NULL),
  (2, 'M1', 'B', 'Skatt', 'Til gode', '2026-01-04T00:00:00+00:00', NULL);
";

#[tokio::test]
async fn rows_written_before_the_person_keyed_layout_survive_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    let url = format!("sqlite://{}", path.display());

    // The database as it was before 0010: migrations 1–9, with data.
    let opts = SqliteConnectOptions::from_str(&url)
        .expect("url")
        .create_if_missing(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await
        .expect("open");
    let all = sqlx::migrate!("./migrations/sqlite");
    let before = Migrator {
        migrations: all
            .migrations
            .iter()
            .filter(|m| m.version < 10)
            .cloned()
            .collect(),
        ..Migrator::DEFAULT
    };
    before.run(&pool).await.expect("migrations 1-9");
    sqlx::raw_sql(OLD).execute(&pool).await.expect("old rows");
    pool.close().await;

    // Opening the store applies 0010.
    let store = SqliteStore::open(&url).await.expect("open migrates");
    let a = store
        .overview("A", OverviewLimits::default())
        .await
        .expect("overview A");
    assert_eq!(a.cases.len(), 2);
    let dagpenger = a
        .cases
        .iter()
        .find(|c| c.agency.org == "889640782")
        .expect("NAV's case");
    assert_eq!(dagpenger.timeline.len(), 2);
    assert_eq!(
        dagpenger.timeline[1].note.as_deref(),
        Some("Vi ser på saken")
    );
    assert_eq!(a.deadlines.len(), 1);
    assert_eq!(a.benefits[0].amount_minor, 176_600);
    let subjects: Vec<&str> = a.messages.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["Innkalling", "Vedtak"], "newest first");
    assert!(a.messages[1].read_at.is_some(), "read state kept");
    assert_eq!((a.total_messages, a.unread_messages), (2, 1));
    let b = store
        .overview("B", OverviewLimits::default())
        .await
        .expect("overview B");
    assert_eq!(
        (b.cases.len(), b.deadlines.len(), b.messages.len()),
        (1, 1, 1)
    );

    // The new layout is in place, and every foreign key still holds.
    let check = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(SqliteConnectOptions::from_str(&url).expect("url"))
        .await
        .expect("reopen");
    for table in ["cases", "deadlines", "benefits", "messages"] {
        let sql: String = sqlx::query("SELECT sql FROM sqlite_master WHERE name = ?")
            .bind(table)
            .fetch_one(&check)
            .await
            .expect("schema")
            .get(0);
        assert!(sql.contains("WITHOUT ROWID"), "{table}: {sql}");
    }
    let broken = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&check)
        .await
        .expect("fk check");
    assert!(
        broken.is_empty(),
        "{} rows break a foreign key",
        broken.len()
    );
}
