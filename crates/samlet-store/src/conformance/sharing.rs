//! Conformance for [`crate::SharingStore`]: the operator registers a basis,
//! only its holder accepts it, it is revoked once; the filtered overview
//! returns exactly the agencies and categories it is given.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use samlet_domain::{CaseStatus, ValidMessage};

use crate::conformance::{agency, case, org, person};
use crate::{Item, NewSharingBasis, OverviewFilter, OverviewLimits, Store};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap_or_default()
}

fn basis(id: &str, reader: &str, holder: &str) -> NewSharingBasis {
    NewSharingBasis {
        id: id.into(),
        reader_org: reader.into(),
        holder_org: holder.into(),
        category: "cases".into(),
        purpose: "vurdere sykepenger".into(),
        legal_basis: "folketrygdloven § 8-28".into(),
        legal_ref: Some("https://lovdata.no/lov/1997-02-28-19/§8-28".into()),
        valid_from: day(1),
        valid_to: Some(day(30)),
        created_by: "operator-ola".into(),
    }
}

pub async fn run_all(store: &dyn Store) {
    bases_are_accepted_by_their_holder_only_and_revoked_once(store).await;
    the_filtered_overview_holds_only_the_allowed_agencies_and_categories(store).await;
}

async fn bases_are_accepted_by_their_holder_only_and_revoked_once(store: &dyn Store) {
    let (nav, skatt, third) = ("sb-nav", "sb-skatt", "sb-third");
    let b = basis("sb-1", nav, skatt);
    store
        .insert_sharing_basis(&b, t0())
        .await
        .unwrap_or_else(|e| panic!("the operator registers a basis: {e}"));
    let got = store
        .sharing_basis("sb-1")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the basis is found by id"));
    assert_eq!(got.legal_basis, "folketrygdloven § 8-28");
    assert_eq!(got.valid_from, day(1));
    assert_eq!(got.valid_to, Some(day(30)));
    assert_eq!(got.created_at, t0());
    assert_eq!(got.created_by, "operator-ola");
    assert_eq!((got.accepted_at, got.revoked_at), (None, None));

    let list = |o: Option<&'static str>| async move {
        store
            .sharing_bases(o)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|b| b.id)
            .filter(|id| id.starts_with("sb-"))
            .collect::<Vec<_>>()
    };
    assert_eq!(list(Some(nav)).await, vec!["sb-1"], "the reader sees it");
    assert_eq!(list(Some(skatt)).await, vec!["sb-1"], "the holder sees it");
    assert!(
        list(Some(third)).await.is_empty(),
        "a third agency does not"
    );
    assert_eq!(list(None).await, vec!["sb-1"], "the operator sees all");

    let accept = |org: &'static str| async move {
        store
            .accept_sharing_basis("sb-1", org, org, t0() + Duration::hours(1))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(!accept(nav).await, "the reader cannot accept its own basis");
    assert!(!accept(third).await, "nor can a third agency");
    assert!(accept(skatt).await, "the holder accepts");
    assert!(!accept(skatt).await, "accepting twice changes nothing");
    let got = store.sharing_basis("sb-1").await.ok().flatten();
    assert_eq!(
        got.and_then(|g| g.accepted_at),
        Some(t0() + Duration::hours(1))
    );

    let between = store
        .sharing_bases_between(nav, skatt)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(between.len(), 1);
    assert!(store
        .sharing_bases_between(skatt, nav)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .is_empty());

    let revoke = |holder: Option<&'static str>| async move {
        store
            .revoke_sharing_basis("sb-1", holder, "who", t0() + Duration::hours(2))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert!(
        !revoke(Some(nav)).await,
        "the reader cannot revoke as holder"
    );
    assert!(revoke(Some(skatt)).await, "the holder revokes");
    assert!(!revoke(None).await, "revoking twice changes nothing");
    assert!(
        !accept(skatt).await,
        "a revoked basis cannot be accepted again"
    );
    let got = store.sharing_basis("sb-1").await.ok().flatten();
    assert_eq!(got.and_then(|g| g.revoked_by).as_deref(), Some("who"));

    store
        .insert_sharing_basis(&basis("sb-2", nav, skatt), t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(revoke_by_operator(store, "sb-2").await);
    assert!(store
        .sharing_basis("sb-missing")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .is_none());
}

async fn revoke_by_operator(store: &dyn Store, id: &str) -> bool {
    store
        .revoke_sharing_basis(id, None, "operator", t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn the_filtered_overview_holds_only_the_allowed_agencies_and_categories(store: &dyn Store) {
    let a = agency(store, "91100001", "Etat A").await;
    let b = agency(store, "91100002", "Etat B").await;
    let (org_a, org_b) = (org("91100001").to_string(), org("91100002").to_string());
    let kari = person(27);
    let msg = |id: &str| {
        Item::Message(ValidMessage {
            pid: kari.clone(),
            message_id: id.into(),
            subject: format!("Brev {id}"),
            body: "Innhold.".into(),
        })
    };
    for (agency_id, prefix) in [(a, "A"), (b, "B")] {
        let r = store
            .ingest(
                agency_id,
                vec![
                    case(&kari, &format!("{prefix}-1"), CaseStatus::Received),
                    msg(&format!("{prefix}-M")),
                ],
            )
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(r.iter().all(Result::is_ok));
    }
    let limits = OverviewLimits::default();
    let own = store
        .overview_filtered(kari.as_str(), &OverviewFilter::own(&org_a), limits)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let orgs = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        orgs(own.cases.iter().map(|c| c.agency.org.as_str()).collect()),
        vec![org_a.clone()],
        "agency A sees only its own case"
    );
    assert_eq!(own.cases[0].timeline.len(), 1, "with its timeline");
    assert_eq!(own.messages.len(), 1);
    assert_eq!(own.total_messages, 1, "counts are of A's messages only");
    assert_eq!(own.unread_messages, 1);

    let mut with_b = OverviewFilter::own(&org_a);
    assert!(with_b.add("cases", &org_b));
    assert!(!with_b.add("diagnoses", &org_b), "unknown category refused");
    let shared = store
        .overview_filtered(kari.as_str(), &with_b, limits)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut case_orgs: Vec<String> = shared.cases.iter().map(|c| c.agency.org.clone()).collect();
    case_orgs.sort();
    assert_eq!(case_orgs, vec![org_a.clone(), org_b.clone()]);
    assert!(
        shared.messages.iter().all(|m| m.agency.org == org_a),
        "B's messages stay out: the basis covers cases only"
    );
    let none = store
        .overview_filtered(kari.as_str(), &OverviewFilter::default(), limits)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.cases.is_empty() && none.messages.is_empty() && none.total_messages == 0);
    let full = store
        .overview(kari.as_str(), limits)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        full.cases.len(),
        2,
        "the citizen's own overview is unfiltered"
    );
}
