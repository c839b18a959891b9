//! The journey store on both backends: an event is recorded once, journeys and offers belong to
//! their person, and a task is done once.

use chrono::{NaiveDate, TimeZone, Utc};
use samlet_domain::OrgNumber;
use samlet_store::{NewJourney, NewLifeEvent, NewOffer, PostgresStore, SqliteStore, Store};

async fn suite(store: &dyn Store) {
    let org = OrgNumber::parse("974761076").unwrap_or_else(|e| panic!("{e}"));
    let agency = store
        .create_agency(&org, "Skatteetaten")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap_or_default();
    let event = NewLifeEvent {
        event_id: "death-1".into(),
        pid: "deceased".into(),
        kind: "death".into(),
        date,
        body: "{}".into(),
    };
    let journey = NewJourney {
        id: "j-1".into(),
        pid: "kari".into(),
        journey_key: "losing-a-relative".into(),
        event_date: date,
        tasks_json: "[]".into(),
    };
    let offer = NewOffer {
        pid: "kari".into(),
        ruleset: "child-benefit".into(),
        period: "2026-04".into(),
        amount: "1766".into(),
        explanation_nb: "fordi".into(),
        explanation_en: "because".into(),
        apply_url: Some("https://www.nav.no/barnetrygd".into()),
    };
    let first = store
        .record_life_event(
            agency.id,
            &event,
            std::slice::from_ref(&journey),
            std::slice::from_ref(&offer),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(first);
    // Idempotent by event id: the second report stores nothing.
    let again = NewJourney {
        id: "j-2".into(),
        ..journey
    };
    let second = store
        .record_life_event(agency.id, &event, &[again], &[offer])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!second);

    let mine = store
        .journeys_for("kari")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].id, "j-1");
    assert_eq!(mine[0].event_date, date);
    assert!(store
        .journeys_for("ola")
        .await
        .unwrap_or_default()
        .is_empty());
    assert_eq!(store.offers_for("kari").await.unwrap_or_default().len(), 1);
    assert!(store.offers_for("ola").await.unwrap_or_default().is_empty());

    let at = Utc
        .with_ymd_and_hms(2026, 3, 10, 12, 0, 0)
        .single()
        .unwrap_or_default();
    assert!(store
        .set_task_done("j-1", "probate", "citizen", at)
        .await
        .unwrap_or_default());
    assert!(!store
        .set_task_done("j-1", "probate", "citizen", at)
        .await
        .unwrap_or(true));
    let j = store
        .journey("j-1")
        .await
        .unwrap_or_default()
        .unwrap_or_else(|| panic!("j-1"));
    assert_eq!(j.done.len(), 1);
    assert_eq!(j.done[0].task_id, "probate");
    assert_eq!(j.done[0].done_at, at);
    assert!(store.journey("nope").await.unwrap_or_default().is_none());
}

#[tokio::test]
async fn sqlite_keeps_journeys() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    suite(&store).await;
}

#[tokio::test]
async fn postgres_keeps_journeys() {
    let Some(url) = samlet_store::testing::fresh_postgres_database("journeys").await else {
        return;
    };
    let store = PostgresStore::open(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    suite(&store).await;
}
