//! The journey store on both backends: an event is recorded once, journeys and offers belong to
//! their person, and a task is done once; household facts are kept per person, answers replace
//! earlier answers, and an offer is made once per person, rule set and period.

use chrono::{NaiveDate, TimeZone, Utc};
use samlet_domain::OrgNumber;
use samlet_store::{
    DoneBy, NewHouseholdFacts, NewJourney, NewLifeEvent, NewOffer, PostgresStore, SqliteStore,
    Store, StoredText,
};

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
        households: vec![NewHouseholdFacts {
            pid: "kari".into(),
            relation: "spouse".into(),
            household_json: r#"{"deceased_assets":0}"#.into(),
        }],
    };
    let journey = NewJourney {
        id: "j-1".into(),
        pid: "kari".into(),
        journey_key: "losing-a-relative".into(),
        event_date: date,
        tasks_json: "[]".into(),
        facts_json: r#"{"relation":"spouse"}"#.into(),
    };
    let offer = NewOffer {
        pid: "kari".into(),
        ruleset: "child-benefit".into(),
        period: "2026-04".into(),
        amount: "1766".into(),
        apply_url: Some("https://www.nav.no/barnetrygd".into()),
        title: StoredText {
            id: "offer-child-benefit-after-birth-title".into(),
            args_json: "{}".into(),
        },
        explanation: StoredText {
            id: "rules-explanation".into(),
            args_json: r#"{"trace":{"ruleset":"child-benefit"}}"#.into(),
        },
        unit: "month".into(),
        reason: "event".into(),
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
        .record_life_event(agency.id, &event, &[again], std::slice::from_ref(&offer))
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
        .set_task_done("j-1", "probate", &DoneBy::Citizen, at)
        .await
        .unwrap_or_default());
    assert!(!store
        .set_task_done("j-1", "probate", &DoneBy::Citizen, at)
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
    assert_eq!(j.done[0].done_by, DoneBy::Citizen);
    assert!(store.journey("nope").await.unwrap_or_default().is_none());
    assert_eq!(j.facts_json.as_deref(), Some(r#"{"relation":"spouse"}"#));
    assert!(j.answers.is_empty());

    // Answers: stored with the re-planned tasks; a new answer replaces the old; done stays done.
    let answer = |v: &str| vec![("serves_alcohol".to_owned(), v.to_owned())];
    assert!(store
        .answer_journey("j-1", &answer("true"), r#"[{"x":1}]"#, at)
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(store
        .answer_journey("j-1", &answer("false"), r#"[{"x":2}]"#, at)
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(!store
        .answer_journey("nope", &answer("true"), "[]", at)
        .await
        .unwrap_or(true));
    let j = store
        .journeys_for("kari")
        .await
        .unwrap_or_default()
        .pop()
        .unwrap_or_else(|| panic!("j-1"));
    assert_eq!(j.tasks_json, r#"[{"x":2}]"#);
    assert_eq!(
        j.answers.get("serves_alcohol").map(String::as_str),
        Some("false")
    );
    assert_eq!(j.done.len(), 1);

    // Household facts: per person, with source and date; only for the kinds asked for.
    let facts = store
        .household_facts(&["death".to_owned()])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].pid, "kari");
    assert_eq!(facts[0].relation, "spouse");
    assert_eq!(facts[0].source_org, "974761076");
    assert_eq!(facts[0].event_date, date);
    assert_eq!(facts[0].event_id, "death-1");
    assert!(store
        .household_facts(&["birth".to_owned()])
        .await
        .unwrap_or_default()
        .is_empty());
    // A later event supersedes an earlier one for the same person.
    let later = NewLifeEvent {
        event_id: "death-2".into(),
        date: date + chrono::Days::new(30),
        households: vec![NewHouseholdFacts {
            pid: "kari".into(),
            relation: "child".into(),
            household_json: "{}".into(),
        }],
        ..event.clone()
    };
    assert!(store
        .record_life_event(agency.id, &later, &[], &[])
        .await
        .unwrap_or_default());
    let facts = store
        .household_facts(&["death".to_owned()])
        .await
        .unwrap_or_default();
    assert_eq!(facts.len(), 1);
    assert_eq!(facts[0].event_id, "death-2");

    // Offers without an event (a rule change): once per person, rule set and period.
    let more = NewOffer {
        period: "2026-05".into(),
        amount: "1900".into(),
        reason: "rule-change".into(),
        ..offer.clone()
    };
    let n = store
        .insert_offers(&[offer.clone(), more.clone(), more])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        n, 1,
        "the 2026-04 offer existed, the 2026-05 one is new once"
    );
    let all = store
        .offers_for_ruleset("child-benefit")
        .await
        .unwrap_or_default();
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].offer.reason, "rule-change");
    assert_eq!(all[1].offer.title, offer.title);
    assert_eq!(all[1].offer.explanation, offer.explanation);
    assert!(store
        .offers_for_ruleset("funeral-grant")
        .await
        .unwrap_or_default()
        .is_empty());
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
