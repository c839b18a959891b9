//! The store's pool rule, checked against a read replica that has seen
//! nothing at all (the worst lag there is): every path that must read its
//! own writes finds them, and the lag-tolerant views really are served by
//! the replica (they find nothing). See `sql::postgres` for the rule.

use chrono::{Duration, Utc};
use samlet_domain::{CaseStatus, ValidMessage};
use samlet_merkle::{MemoryStore, MerkleTree};

use crate::conformance::{case, org, person};
use crate::conformance_log::{append, entry};
use crate::{
    AccessLogFilter, Item, NewConsentRequest, NewForesightSession, NewJourney, NewLifeEvent,
    NewRepresentation, NewSharingBasis, OverviewLimits, Session, Store,
};

/// `store` writes to one database and reads its lag-tolerant views from
/// another, migrated and empty, that never catches up.
pub async fn read_your_writes_with_a_lagging_reader(store: &dyn Store) {
    let now = Utc::now();
    let kari = person(3);
    let pid = kari.as_str();

    // Authorisation right after a grant: agencies, tokens, sessions, feeds.
    let nav = org("88964078");
    let a = store.create_agency(&nav, "NAV").await.expect("create");
    assert!(store
        .set_agency_keys(&nav, "nav", "{}")
        .await
        .expect("keys"));
    let found = store.agency_by_org(&nav).await.expect("by org");
    assert_eq!(
        found.map(|f| f.id),
        Some(a.id),
        "agency_by_org reads the writer"
    );
    let found = store.agency_by_client_id("nav").await.expect("by client");
    assert_eq!(
        found.map(|f| f.id),
        Some(a.id),
        "agency_by_client_id reads the writer"
    );
    assert_eq!(store.list_agencies().await.expect("list").len(), 1);
    store
        .insert_agency_token(
            b"replica-token",
            a.id,
            crate::TokenKind::Access,
            samlet_domain::ScopeSet::parse_lenient("samlet:read"),
            None,
        )
        .await
        .expect("token");
    let token = store
        .agency_for_token(b"replica-token", now)
        .await
        .expect("token");
    assert!(token.is_some(), "a token works the moment it is issued");
    let session = Session {
        pid: pid.into(),
        csrf: "csrf".into(),
        expires_at: now + Duration::hours(1),
    };
    store
        .create_session(b"replica-session", &session)
        .await
        .expect("session");
    let found = store
        .session(b"replica-session", now)
        .await
        .expect("session");
    assert_eq!(
        found.map(|s| s.pid),
        Some(session.pid),
        "the login's session is found at once"
    );
    store
        .set_calendar_token(pid, b"replica-feed", now)
        .await
        .expect("feed");
    let found = store
        .pid_for_calendar_token(b"replica-feed")
        .await
        .expect("feed");
    assert_eq!(found.as_deref(), Some(pid));

    // Ingest reads the writer: a status change finds the case it follows.
    let message = Item::Message(ValidMessage {
        pid: kari.clone(),
        message_id: "R-1".into(),
        subject: "Vedtak".into(),
        body: "Innvilget.".into(),
    });
    let items = vec![case(&kari, "R-1", CaseStatus::Received), message];
    assert!(store
        .ingest(a.id, items)
        .await
        .expect("ingest")
        .iter()
        .all(Result::is_ok));
    let moved = store
        .ingest(a.id, vec![case(&kari, "R-1", CaseStatus::Decided)])
        .await
        .expect("ingest again");
    assert!(moved.iter().all(Result::is_ok));
    // The citizen's views come from the replica, which has nothing yet...
    let o = store
        .overview(pid, OverviewLimits::default())
        .await
        .expect("overview");
    assert!(
        o.cases.is_empty() && o.messages.is_empty(),
        "the overview reads the reader"
    );
    assert!(store
        .messages(pid, 0, 10)
        .await
        .expect("messages")
        .is_empty());
    assert!(store
        .message(pid, nav.as_str(), "R-1")
        .await
        .expect("message")
        .is_none());
    // ...while opening a message writes, so it reads the writer.
    let opened = store
        .open_message(pid, nav.as_str(), "R-1", now)
        .await
        .expect("open");
    assert_eq!(opened.map(|m| m.subject), Some("Vedtak".to_owned()));

    // The transparency log's tree: the append path reads what it wrote.
    let mut tree = MerkleTree::new(MemoryStore::new());
    append(store, &mut tree, vec![entry(0, pid, nav.as_str(), 1)])
        .await
        .expect("append");
    assert_eq!(
        store.log_size().await.expect("size"),
        1,
        "the tree head is the writer's"
    );
    let leaves = store.log_leaves(0, 1).await.expect("leaves");
    assert_eq!(leaves.len(), 1, "proofs read the tree the head belongs to");
    let filter = AccessLogFilter {
        agency_org: None,
        from: None,
        to: None,
        offset: 0,
        limit: 10,
    };
    let mine = store.log_entries_for(pid, &filter).await.expect("entries");
    assert!(mine.is_empty(), "the person's log view reads the reader");

    // A journey is read inside the flow that answers it; the list is a view.
    let event = NewLifeEvent {
        event_id: "R-E1".into(),
        pid: pid.into(),
        kind: "birth".into(),
        date: now.date_naive(),
        body: "{}".into(),
        households: Vec::new(),
    };
    let journey = NewJourney {
        id: "R-J1".into(),
        pid: pid.into(),
        journey_key: "birth".into(),
        event_date: now.date_naive(),
        tasks_json: "[]".into(),
        facts_json: "{}".into(),
    };
    assert!(store
        .record_life_event(a.id, &event, &[journey], &[])
        .await
        .expect("event"));
    assert!(store.journey("R-J1").await.expect("journey").is_some());
    assert!(store.journeys_for(pid).await.expect("journeys").is_empty());

    // Representation and consent: authorisation reads the writer.
    let ola = person(4);
    let mandate = NewRepresentation {
        id: "R-M1".into(),
        kind: samlet_access::BasisKind::Mandate,
        subject_pid: pid.into(),
        representative_pid: ola.as_str().into(),
        scopes: vec![samlet_access::Scope::All],
        actions: vec![samlet_access::Action::Read],
        valid_from: now - Duration::hours(1),
        valid_to: None,
        registered_by: "citizen".into(),
        reference: None,
    };
    store
        .insert_representation(&mandate, now)
        .await
        .expect("mandate");
    assert!(store
        .representation("R-M1")
        .await
        .expect("mandate")
        .is_some());
    let between = store
        .representations_between(ola.as_str(), pid)
        .await
        .expect("between");
    assert_eq!(between.len(), 1, "a new mandate authorises at once");
    let given = store.representations_of_subject(pid).await.expect("given");
    assert!(given.is_empty(), "the list of mandates is a view");
    let consent = NewConsentRequest {
        id: "R-C1".into(),
        subject_pid: pid.into(),
        requester_id: a.id,
        requester_org: nav.as_str().into(),
        requester_name: "NAV".into(),
        from_org: nav.as_str().into(),
        from_name: "NAV".into(),
        categories: vec!["cases".into()],
        purpose: "test".into(),
        valid_to: now + Duration::days(1),
    };
    store
        .insert_consent_request(&consent, now)
        .await
        .expect("consent");
    assert!(store.consent("R-C1").await.expect("consent").is_some());
    let between = store
        .consents_between(nav.as_str(), pid)
        .await
        .expect("between");
    assert_eq!(between.len(), 1);
    assert!(store
        .consents_of_subject(pid)
        .await
        .expect("consents")
        .is_empty());
    store
        .set_agency_areas(nav.as_str(), &["work".into()])
        .await
        .expect("areas");
    assert_eq!(store.agency_areas().await.expect("areas").len(), 1);

    // Sharing bases: the holder's decision reads the writer.
    let basis = NewSharingBasis {
        id: "R-B1".into(),
        reader_org: "reader".into(),
        holder_org: nav.as_str().into(),
        category: "cases".into(),
        purpose: "test".into(),
        legal_basis: "lov".into(),
        legal_ref: None,
        valid_from: now.date_naive(),
        valid_to: None,
        created_by: "operator".into(),
    };
    store
        .insert_sharing_basis(&basis, now)
        .await
        .expect("basis");
    assert!(store.sharing_basis("R-B1").await.expect("basis").is_some());
    let between = store
        .sharing_bases_between("reader", nav.as_str())
        .await
        .expect("between");
    assert_eq!(between.len(), 1);
    assert!(store.sharing_bases(None).await.expect("bases").is_empty());

    // Foresight: joining and voting read the writer; the list is a view.
    let s = NewForesightSession {
        id: "R-S1",
        join_code: "RRRR",
        title: "t",
        spec: "{}",
        team_key_hash: b"team",
    };
    store
        .create_foresight_session(&s, now)
        .await
        .expect("foresight");
    assert!(store
        .foresight_session("R-S1")
        .await
        .expect("by id")
        .is_some());
    assert!(store
        .foresight_session_by_code("RRRR")
        .await
        .expect("by code")
        .is_some());
    assert!(store
        .list_foresight_sessions()
        .await
        .expect("list")
        .is_empty());
}
