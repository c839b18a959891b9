//! The journey use cases on a real SQLite store in a temporary directory.

use chrono::{NaiveDate, TimeZone, Utc};
use samlet_domain::{OrgNumber, Pid, PidPolicy};
use samlet_journeys::{shipped_catalogue, Catalogue};
use samlet_store::{SqliteStore, Store};

use super::*;
use crate::rules::RuleSets;

pub(super) struct Fixture {
    pub store: SqliteStore,
    pub catalogue: Catalogue,
    pub rules: RuleSets,
    pub agency: i64,
    _dir: tempfile::TempDir,
}

pub(super) async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url).await.expect("open sqlite");
    let org = OrgNumber::parse("974761076").expect("org");
    let agency = store
        .create_agency(&org, "Skatteetaten")
        .await
        .expect("agency")
        .id;
    Fixture {
        store,
        catalogue: shipped_catalogue().expect("catalogue"),
        rules: RuleSets::shipped().expect("rule sets"),
        agency,
        _dir: dir,
    }
}

pub(super) fn born(y: i32, m: u32, d: u32) -> Pid {
    let birth = NaiveDate::from_ymd_opt(y, m, d).expect("date");
    (100..1000)
        .find_map(|i| Pid::synthetic(birth, i))
        .expect("pid")
}

pub(super) fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// Kari's baby is born on 10 January 2026; the household gives child benefit.
pub(super) fn birth(kari: &Pid) -> Event {
    Event {
        event_id: "birth-1".into(),
        pid: born(2026, 1, 10).to_string(),
        kind: "birth".into(),
        date: date("2026-01-10"),
        related: vec![Related {
            pid: kari.to_string(),
            relation: "parent".into(),
            facts: Default::default(),
        }],
        facts: Default::default(),
        household: Some(serde_json::json!({"members": [
            {"id": "Kari", "role": "parent", "birth_date": "1988-04-12", "annual_income": 520000},
            {"id": "baby", "role": "child", "birth_date": "2026-01-10", "annual_income": 0}
        ]})),
    }
}

#[tokio::test]
async fn a_birth_plans_the_parents_checklist_once_and_makes_an_offer() {
    let f = fixture().await;
    let kari = born(1988, 4, 12);
    let record = || {
        record_event(
            &f.store,
            &f.catalogue,
            &f.rules,
            PidPolicy::TEST,
            f.agency,
            birth(&kari),
        )
    };
    let r = record().await.expect("recorded");
    assert!(r.new);
    assert_eq!(r.offers, 1);
    let started: Vec<&str> = r.journeys.iter().map(|j| j.journey.as_str()).collect();
    assert!(started.contains(&"new-parent"), "{started:?}");
    // Reported again: nothing new.
    let again = record().await.expect("recorded again");
    assert!(!again.new && again.journeys.is_empty() && again.offers == 0);

    let mine = journeys_of(&f.store, &f.catalogue, &kari, date("2026-08-01"))
        .await
        .expect("journeys");
    assert_eq!(mine.len(), 1);
    let c = &mine[0];
    assert_eq!(c.title_in(Lang::Nn), "Nybakt forelder", "{:?}", c.title);
    let name = c.tasks.iter().find(|t| t.task.id == "name").expect("name");
    // Due six months after the birth; on 1 August it is overdue.
    assert_eq!(name.task.due, Some(date("2026-07-10")));
    assert!(name.overdue && name.can_mark_done && !name.done);
    let on_time = journeys_of(&f.store, &f.catalogue, &kari, date("2026-07-10"))
        .await
        .expect("journeys");
    assert!(!on_time[0]
        .tasks
        .iter()
        .any(|t| t.task.id == "name" && t.overdue));
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let f = fixture().await;
    let kari = born(1988, 4, 12);
    let mut e = birth(&kari);
    e.related[0].pid = "123".into();
    let err = record_event(
        &f.store,
        &f.catalogue,
        &f.rules,
        PidPolicy::TEST,
        f.agency,
        e,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { pointer, .. } if pointer == "/related/0/pid"),
        "{err:?}"
    );
    let mut e = birth(&kari);
    e.event_id = " ".into();
    let err = record_event(
        &f.store,
        &f.catalogue,
        &f.rules,
        PidPolicy::TEST,
        f.agency,
        e,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { pointer, .. } if pointer == "/event_id"),
        "{err:?}"
    );
    let mut e = birth(&kari);
    e.household = Some(serde_json::json!([1, 2]));
    let err = record_event(
        &f.store,
        &f.catalogue,
        &f.rules,
        PidPolicy::TEST,
        f.agency,
        e,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { pointer, .. } if pointer == "/household"),
        "{err:?}"
    );
}

#[tokio::test]
async fn who_may_mark_a_task_done() {
    let f = fixture().await;
    let kari = born(1988, 4, 12);
    let r = record_event(
        &f.store,
        &f.catalogue,
        &f.rules,
        PidPolicy::TEST,
        f.agency,
        birth(&kari),
    )
    .await
    .expect("recorded");
    let id = &r.journeys[0].id;
    let now = Utc
        .with_ymd_and_hms(2026, 2, 1, 12, 0, 0)
        .single()
        .expect("time");
    let nav = OrgNumber::parse("889640782").expect("org");
    let skatt = OrgNumber::parse("974761076").expect("org");
    let ola = born(1959, 9, 30);

    // Kari ticks off her own task, once.
    let m = mark_done(&f.store, Marker::Citizen(&kari), id, "name", now)
        .await
        .expect("done");
    assert!(m.changed);
    let m = mark_done(&f.store, Marker::Citizen(&kari), id, "name", now)
        .await
        .expect("done again");
    assert!(!m.changed);
    // Not NAV's task, and not someone else's journey.
    let e = mark_done(&f.store, Marker::Citizen(&kari), id, "child-benefit", now)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Denied(Denied::AgencyMarksIt { .. })),
        "{e:?}"
    );
    assert_eq!(e.to_string(), "NAV marks this task done, not you.");
    let e = mark_done(&f.store, Marker::Citizen(&ola), id, "name", now)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    // Only the owning agency, and only with the right to write.
    let agency = |org, may_write| Marker::Agency { org, may_write };
    let e = mark_done(&f.store, agency(&skatt, true), id, "child-benefit", now)
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Denied(Denied::OtherAgencysTask { .. })),
        "{e:?}"
    );
    let e = mark_done(&f.store, agency(&nav, false), id, "child-benefit", now)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Denied(Denied::NoWriteScope)), "{e:?}");
    let m = mark_done(&f.store, agency(&nav, true), id, "child-benefit", now)
        .await
        .expect("NAV marks its task");
    assert!(m.changed);
    let c = journey_of(&f.store, &f.catalogue, &kari, id, date("2026-02-01"))
        .await
        .expect("read")
        .expect("Kari's journey");
    assert_eq!(c.done_count, 2);
    assert!(
        journey_of(&f.store, &f.catalogue, &ola, id, date("2026-02-01"))
            .await
            .expect("read")
            .is_none()
    );
}

#[tokio::test]
async fn answers_plan_the_checklist_again() {
    let f = fixture().await;
    let amir = born(1990, 2, 3);
    let e = Event {
        event_id: "restaurant-1".into(),
        pid: amir.to_string(),
        kind: "business-start".into(),
        date: date("2026-03-01"),
        related: Vec::new(),
        facts: Default::default(),
        household: None,
    };
    let r = record_event(
        &f.store,
        &f.catalogue,
        &f.rules,
        PidPolicy::TEST,
        f.agency,
        e,
    )
    .await
    .expect("recorded");
    let id = &r.journeys[0].id;
    let today = date("2026-03-02");
    let before = journey_of(&f.store, &f.catalogue, &amir, id, today)
        .await
        .expect("read")
        .expect("journey");
    let q = before
        .questions
        .iter()
        .find(|q| q.ty == "boolean")
        .expect("a yes/no question");
    let mut answers = serde_json::Map::new();
    answers.insert(q.fact.clone(), serde_json::json!(true));
    let now = Utc::now();
    let after = answer(&f.store, &f.catalogue, &amir, id, &answers, now, today)
        .await
        .expect("answered");
    let answered = after
        .questions
        .iter()
        .find(|a| a.fact == q.fact)
        .expect("question");
    assert_eq!(answered.answer, Some(serde_json::json!(true)));

    let empty = serde_json::Map::new();
    let e = answer(&f.store, &f.catalogue, &amir, id, &empty, now, today)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { pointer, .. } if pointer == "/answers"),
        "{e:?}"
    );
    let mut unknown = serde_json::Map::new();
    unknown.insert("no_such_fact".into(), serde_json::json!(1));
    let e = answer(&f.store, &f.catalogue, &amir, id, &unknown, now, today)
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Invalid { pointer, .. } if pointer == "/answers/no_such_fact"),
        "{e:?}"
    );
    let other = born(1959, 9, 30);
    let e = answer(&f.store, &f.catalogue, &other, id, &answers, now, today)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
}
