//! Conformance for [`crate::RepresentationStore`]: mandates are given, listed
//! by name and revoked; consent requests are answered once and revoked by
//! their person only.

use chrono::{DateTime, Duration, TimeZone, Utc};
use samlet_access::{Action, BasisKind, ConsentStatus, Scope};

use crate::{ConsentAnswer, NewConsentRequest, NewRepresentation, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn mandate(id: &str, subject: &str, rep: &str) -> NewRepresentation {
    NewRepresentation {
        id: id.into(),
        kind: BasisKind::Mandate,
        subject_pid: subject.into(),
        representative_pid: rep.into(),
        scopes: vec![Scope::Area("benefits".into()), Scope::Area("tax".into())],
        actions: vec![Action::Read],
        valid_from: t0(),
        valid_to: Some(t0() + Duration::days(30)),
        registered_by: "citizen".into(),
        reference: None,
    }
}

pub async fn run_all(store: &dyn Store) {
    mandates_round_trip_and_revoke_once(store).await;
    the_representative_list_is_by_name_searchable_and_paged(store).await;
    consent_requests_are_answered_once_by_their_person(store).await;
    agency_areas_are_replaced(store).await;
}

async fn mandates_round_trip_and_revoke_once(store: &dyn Store) {
    let m = mandate("rep-m1", "ola-1", "kari-1");
    store
        .insert_representation(&m, t0())
        .await
        .unwrap_or_else(|e| panic!("Ola gives Kari a mandate: {e}"));
    let got = store
        .representation("rep-m1")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the mandate is found by id"));
    assert_eq!(
        got.scopes,
        vec![Scope::Area("benefits".into()), Scope::Area("tax".into())]
    );
    assert_eq!(got.actions, vec![Action::Read]);
    assert_eq!(got.kind, BasisKind::Mandate);
    assert_eq!(got.valid_to, m.valid_to);
    assert_eq!(got.revoked_at, None);
    let given = store
        .representations_of_subject("ola-1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(given.len(), 1, "Ola sees the mandate he gave");
    let received = store
        .representations_of_representative("kari-1", 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(received.len(), 1, "Kari sees the mandate she received");
    let between = store
        .representations_between("kari-1", "ola-1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(between.len(), 1);
    assert!(store
        .representations_between("ola-1", "kari-1")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .is_empty());
    let later = t0() + Duration::hours(1);
    assert!(store
        .revoke_representation("rep-m1", later)
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(
        !store
            .revoke_representation("rep-m1", later + Duration::hours(1))
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        "a revocation happens once and keeps its time"
    );
    let got = store
        .representation("rep-m1")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.and_then(|g| g.revoked_at), Some(later));
}

async fn the_representative_list_is_by_name_searchable_and_paged(store: &dyn Store) {
    let names = [
        ("w-3", "Åse Berg"),
        ("w-1", "Anne Dahl"),
        ("w-2", "Bjørn Li"),
        ("w-4", "Per 100% Sikker"),
    ];
    let owned: Vec<(String, String)> = names
        .iter()
        .map(|(p, n)| ((*p).to_owned(), (*n).to_owned()))
        .collect();
    // Names known before the relation for three, after for one.
    store
        .upsert_person_names(&owned[..3], t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for (i, (pid, _)) in names.iter().enumerate() {
        let mut r = mandate(&format!("g-{i}"), pid, "guardian-1");
        r.kind = BasisKind::Guardianship;
        r.valid_to = None;
        store
            .insert_representation(&r, t0())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    store
        .upsert_person_names(&owned[3..], t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // One expired and one revoked relation are not listed.
    let mut expired = mandate("g-exp", "w-5", "guardian-1");
    expired.valid_to = Some(t0() + Duration::minutes(1));
    store
        .insert_representation(&expired, t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .insert_representation(&mandate("g-rev", "w-6", "guardian-1"), t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .revoke_representation("g-rev", t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // Anne also gave a mandate of her own (two valid bases), Bjørn one that
    // was revoked: the list pages over persons, with every valid basis of each.
    store
        .insert_representation(&mandate("g-anne-2", "w-1", "guardian-1"), t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .insert_representation(&mandate("g-bjorn-rev", "w-2", "guardian-1"), t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .revoke_representation("g-bjorn-rev", t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let now = t0() + Duration::hours(1);
    let rows = store
        .represented_page("guardian-1", "", now, 0, 1)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        rows.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        vec!["g-1", "g-anne-2"],
        "a page of one person holds both her valid bases"
    );
    // One entry per person, in order (the rows of a person are consecutive).
    let page = |q: &'static str, offset, limit| async move {
        let mut names: Vec<String> = Vec::new();
        for r in store
            .represented_page("guardian-1", q, now, offset, limit)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
        {
            let n = r.subject_name.unwrap_or_default();
            if names.last() != Some(&n) {
                names.push(n);
            }
        }
        names
    };
    let all = page("", 0, 10).await;
    assert_eq!(all.len(), 4, "only valid relations are listed: {all:?}");
    assert_eq!(all[0], "Anne Dahl", "sorted by name: {all:?}");
    assert_eq!(page("", 1, 2).await, all[1..3].to_vec(), "paged");
    assert_eq!(
        page("BJØRN", 0, 10).await,
        vec!["Bjørn Li"],
        "case-insensitive"
    );
    assert_eq!(page("100%", 0, 10).await, vec!["Per 100% Sikker"]);
    assert_eq!(
        page("%", 0, 10).await,
        vec!["Per 100% Sikker"],
        "wildcards are literal"
    );
    assert_eq!(page("w-3", 0, 10).await, vec!["Åse Berg"], "by id prefix");
    assert!(page("nobody", 0, 10).await.is_empty());
    assert!(store
        .represented_page("someone-else", "", now, 0, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .is_empty());
}

async fn consent_requests_are_answered_once_by_their_person(store: &dyn Store) {
    let oslo = store
        .create_agency(&crate::conformance::org("95893542"), "Oslo kommune")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let req = |id: &str| NewConsentRequest {
        id: id.into(),
        subject_pid: "ola-2".into(),
        requester_id: oslo.id,
        requester_org: oslo.org.to_string(),
        requester_name: oslo.name.clone(),
        from_org: "889640782".into(),
        from_name: "NAV".into(),
        categories: vec!["benefits".into(), "cases".into()],
        purpose: "En plan".into(),
        valid_to: t0() + Duration::days(90),
    };
    for id in ["c-1", "c-2"] {
        store
            .insert_consent_request(&req(id), t0())
            .await
            .unwrap_or_else(|e| panic!("Oslo asks for consent: {e}"));
    }
    let mine = store
        .consents_of_subject("ola-2")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mine.len(), 2);
    assert!(mine.iter().all(|c| c.status == ConsentStatus::Pending));
    let now = t0() + Duration::hours(1);
    assert!(
        !store
            .answer_consent("c-1", "someone-else", ConsentAnswer::Approve, now)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        "only the person answers"
    );
    assert!(store
        .answer_consent("c-1", "ola-2", ConsentAnswer::Approve, now)
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(
        !store
            .answer_consent("c-1", "ola-2", ConsentAnswer::Decline, now)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        "answered once"
    );
    assert!(store
        .answer_consent("c-2", "ola-2", ConsentAnswer::Decline, now)
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(
        !store
            .revoke_consent("c-2", "ola-2", now)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        "a declined request has nothing to revoke"
    );
    assert!(store
        .revoke_consent("c-1", "ola-2", now)
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    let c1 = store
        .consent("c-1")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the consent keeps its request's id"));
    assert_eq!(c1.status, ConsentStatus::Approved);
    assert_eq!(c1.revoked_at, Some(now));
    assert_eq!(c1.categories, vec!["benefits", "cases"]);
    let between = store
        .consents_between(&oslo.org.to_string(), "ola-2")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(between.len(), 2);
    assert!(store
        .consents_between("889640782", "ola-2")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .is_empty());
}

async fn agency_areas_are_replaced(store: &dyn Store) {
    store
        .set_agency_areas("889640782", &["benefits".into(), "work".into()])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .set_agency_areas("889640782", &["benefits".into()])
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let areas = store.agency_areas().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        areas,
        vec![("889640782".to_string(), vec!["benefits".to_string()])]
    );
}
