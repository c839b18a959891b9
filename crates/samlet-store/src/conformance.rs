//! The conformance suite every [`Store`] implementation must pass.
//!
//! It is ordinary code (not `#[cfg(test)]`) so the integration tests can run
//! it against SQLite and against a real PostgreSQL with the same assertions.
//! Each check reads like a user story and panics with a message on failure.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use samlet_domain::*;

use crate::{Item, OverviewLimits, Rejection, Session, Store};

pub mod foresight;
pub mod replica;
// Representation and consent.
pub mod representation;
pub mod sharing;

/// A synthetic test person born on `day` of January 1980.
pub fn person(day: u32) -> Pid {
    let birth = NaiveDate::from_ymd_opt(1980, 1, day.clamp(1, 28)).unwrap_or_default();
    (0..1000)
        .find_map(|i| Pid::synthetic(birth, i + day * 7))
        .unwrap_or_else(|| panic!("no synthetic pid for day {day}"))
}

pub fn org(first8: &str) -> OrgNumber {
    OrgNumber::with_check_digit(first8).unwrap_or_else(|| panic!("no org number for {first8}"))
}

pub(crate) fn case(pid: &Pid, id: &str, status: CaseStatus) -> Item {
    Item::Case(ValidCase {
        pid: pid.clone(),
        case_id: id.into(),
        title: format!("Sak {id}"),
        status,
        service: Some("dagpenger".into()),
        opened_at: Utc
            .with_ymd_and_hms(2026, 1, 5, 9, 0, 0)
            .single()
            .unwrap_or_default(),
        url: None,
    })
}

fn ok_all(v: &[Result<(), Rejection>]) {
    for (i, r) in v.iter().enumerate() {
        assert!(r.is_ok(), "item {i} was rejected: {r:?}");
    }
}

/// Run every check against a fresh, empty store.
pub async fn run_all(store: &dyn Store) {
    agencies_are_unique_and_found(store).await;
    resending_updates_and_never_duplicates(store).await;
    a_case_timeline_follows_status_changes(store).await;
    items_cannot_move_between_persons(store).await;
    overview_sorts_and_counts(store).await;
    messages_are_marked_read_when_opened(store).await;
    reading_a_message_changes_nothing_until_it_is_marked_read(store).await;
    persons_see_only_their_own(store).await;
    calendar_tokens_rotate_and_revoke(store).await;
    sessions_expire(store).await;
    jwt_ids_are_used_once(store).await;
    agency_tokens_expire(store).await;
    verdicts_follow_the_input_order(store).await;
    crate::conformance::foresight::run_all(store).await;
    // Representation and consent.
    crate::conformance::representation::run_all(store).await;
    case_status_changes_stay_with_their_person(store).await;
    crate::conformance::sharing::run_all(store).await;
}

async fn agencies_are_unique_and_found(store: &dyn Store) {
    let nav = org("88964078");
    let a = store.create_agency(&nav, "NAV").await.expect("create NAV");
    assert!(matches!(
        store.create_agency(&nav, "NAV again").await,
        Err(crate::StoreError::AgencyExists(_))
    ));
    let found = store.agency_by_org(&nav).await.expect("lookup");
    assert_eq!(found.map(|f| f.id), Some(a.id));
    assert!(store
        .set_agency_keys(&nav, "nav-client", r#"{"keys":[]}"#)
        .await
        .expect("keys"));
    let by_client = store
        .agency_by_client_id("nav-client")
        .await
        .expect("by client");
    assert_eq!(
        by_client.and_then(|a| a.jwks),
        Some(r#"{"keys":[]}"#.to_string())
    );
    assert!(store
        .list_agencies()
        .await
        .expect("list")
        .iter()
        .any(|x| x.name == "NAV"));

    // A new agency holds its own items, read and write; grants replace the set.
    assert_eq!(a.scopes, ScopeSet::NEW_AGENCY);
    let granted = ScopeSet::parse_list("samlet:write samlet:guardianship").expect("scopes");
    assert!(store.set_agency_scopes(&nav, granted).await.expect("grant"));
    assert!(!store
        .set_agency_scopes(&org("97476107"), granted)
        .await
        .expect("unknown agency"));
    let found = store.agency_by_org(&nav).await.expect("lookup");
    assert_eq!(found.map(|f| f.scopes), Some(granted));
    store
        .insert_agency_token(
            b"scoped-token-hash",
            a.id,
            crate::TokenKind::Access,
            samlet_domain::ScopeSet::parse_lenient("samlet:read"),
            None,
        )
        .await
        .expect("token");
    let grant = store
        .agency_for_token(b"scoped-token-hash", Utc::now())
        .await
        .expect("token lookup")
        .expect("token found");
    assert_eq!(
        grant.agency.scopes, granted,
        "the token's agency comes with what it holds now"
    );
    assert_eq!(
        grant.scopes,
        ScopeSet::parse_list("samlet:read").expect("scope")
    );
    assert!(store
        .set_agency_scopes(&nav, ScopeSet::NEW_AGENCY)
        .await
        .expect("reset"));
}

pub(crate) async fn agency(store: &dyn Store, first8: &str, name: &str) -> i64 {
    let o = org(first8);
    match store.agency_by_org(&o).await.expect("lookup") {
        Some(a) => a.id,
        None => store.create_agency(&o, name).await.expect("create").id,
    }
}

async fn resending_updates_and_never_duplicates(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let kari = person(1);
    for _ in 0..3 {
        let r = store
            .ingest(nav, vec![case(&kari, "DP-1", CaseStatus::Received)])
            .await
            .expect("ingest");
        ok_all(&r);
    }
    let d = |title: &str| {
        Item::Deadline(ValidDeadline {
            pid: kari.clone(),
            deadline_id: "MK-1".into(),
            title: title.into(),
            due: Due {
                date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap_or_default(),
                at: None,
            },
            case_id: Some("DP-1".into()),
            url: None,
        })
    };
    ok_all(
        &store
            .ingest(nav, vec![d("Send meldekort"), d("Send meldekort nå")])
            .await
            .expect("ingest"),
    );
    let o = store
        .overview(kari.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    assert_eq!(o.cases.len(), 1, "re-sent case must not be duplicated");
    assert_eq!(
        o.cases[0].timeline.len(),
        1,
        "unchanged status adds no timeline entry"
    );
    assert_eq!(o.deadlines.len(), 1);
    assert_eq!(
        o.deadlines[0].title, "Send meldekort nå",
        "the last version wins"
    );
    assert_eq!(o.cases[0].agency.name, "NAV");

    // The same message twice in one batch, stored in the same instant (on
    // SQLite its arrival time is part of the row's key): one message, the
    // last version's subject.
    let m = |subject: &str| {
        Item::Message(ValidMessage {
            pid: kari.clone(),
            message_id: "V-1".into(),
            subject: subject.into(),
            body: "Innvilget.".into(),
        })
    };
    ok_all(
        &store
            .ingest(nav, vec![m("Vedtak"), m("Vedtak, rettet")])
            .await
            .expect("ingest"),
    );
    let o = store
        .overview(kari.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    let subjects: Vec<&str> = o.messages.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["Vedtak, rettet"]);
}

async fn a_case_timeline_follows_status_changes(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let ola = person(2);
    ok_all(
        &store
            .ingest(nav, vec![case(&ola, "AAP-9", CaseStatus::Received)])
            .await
            .expect("ingest"),
    );
    let at = |h| {
        Utc.with_ymd_and_hms(2026, 1, 6, h, 0, 0)
            .single()
            .unwrap_or_default()
    };
    let st = |s, h, note: Option<&str>| {
        Item::Status(ValidStatus {
            pid: ola.clone(),
            case_id: "AAP-9".into(),
            status: s,
            at: at(h),
            note: note.map(Into::into),
        })
    };
    // Arrive out of order, one twice.
    let r = store
        .ingest(
            nav,
            vec![
                st(CaseStatus::Decided, 15, Some("Innvilget")),
                st(CaseStatus::InProgress, 10, None),
                st(CaseStatus::InProgress, 10, None),
            ],
        )
        .await
        .expect("ingest");
    ok_all(&r);
    let unknown = store
        .ingest(
            nav,
            vec![Item::Status(ValidStatus {
                pid: ola.clone(),
                case_id: "NOPE".into(),
                status: CaseStatus::Closed,
                at: at(1),
                note: None,
            })],
        )
        .await
        .expect("ingest");
    assert_eq!(unknown, vec![Err(Rejection::UnknownCase("NOPE".into()))]);
    let o = store
        .overview(ola.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    let c = &o.cases[0];
    let statuses: Vec<_> = c.timeline.iter().map(|e| e.status).collect();
    assert_eq!(
        statuses,
        vec![
            CaseStatus::Received,
            CaseStatus::InProgress,
            CaseStatus::Decided
        ]
    );
    assert_eq!(
        c.status,
        CaseStatus::Decided,
        "latest by time, not by arrival"
    );
    assert!(!c.open);
    assert_eq!(c.timeline[2].note.as_deref(), Some("Innvilget"));
}

async fn items_cannot_move_between_persons(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let a = person(3);
    let b = person(4);
    ok_all(
        &store
            .ingest(nav, vec![case(&a, "SHARED-1", CaseStatus::Received)])
            .await
            .expect("ingest"),
    );
    let r = store
        .ingest(nav, vec![case(&b, "SHARED-1", CaseStatus::Closed)])
        .await
        .expect("ingest");
    assert_eq!(r, vec![Err(Rejection::OtherPerson("SHARED-1".into()))]);
    let msg = |p: &Pid| {
        Item::Message(ValidMessage {
            pid: p.clone(),
            message_id: "M-1".into(),
            subject: "Hei".into(),
            body: "Tekst".into(),
        })
    };
    ok_all(&store.ingest(nav, vec![msg(&a)]).await.expect("ingest"));
    assert_eq!(
        store.ingest(nav, vec![msg(&b)]).await.expect("ingest"),
        vec![Err(Rejection::OtherPerson("M-1".into()))]
    );
    let oa = store
        .overview(a.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    assert_eq!(
        oa.cases[0].status,
        CaseStatus::Received,
        "the refused item changed nothing"
    );
    let ob = store
        .overview(b.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    assert!(ob.cases.is_empty() && ob.messages.is_empty());
}

async fn overview_sorts_and_counts(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let skatt = agency(store, "97476107", "Skatteetaten").await;
    let p = person(5);
    let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default();
    let dl = |id: &str, d| {
        Item::Deadline(ValidDeadline {
            pid: p.clone(),
            deadline_id: id.into(),
            title: id.into(),
            due: Due {
                date: day(d),
                at: None,
            },
            case_id: None,
            url: None,
        })
    };
    ok_all(
        &store
            .ingest(nav, vec![dl("late", 20), dl("early", 2)])
            .await
            .expect("ingest"),
    );
    ok_all(
        &store
            .ingest(skatt, vec![dl("middle", 10)])
            .await
            .expect("ingest"),
    );
    let benefit = Item::Benefit(ValidBenefit {
        pid: p.clone(),
        benefit_id: "BT".into(),
        name: "Barnetrygd".into(),
        amount: Money::parse("1766.00").unwrap_or(Money { minor: 0 }),
        currency: Currency::parse("NOK").unwrap_or_else(|_| panic!("currency")),
        next_payment: Some(day(20)),
    });
    ok_all(
        &store
            .ingest(
                nav,
                vec![
                    benefit,
                    case(&p, "OPEN", CaseStatus::InProgress),
                    case(&p, "DONE", CaseStatus::Closed),
                ],
            )
            .await
            .expect("ingest"),
    );
    let o = store
        .overview(p.as_str(), OverviewLimits::default())
        .await
        .expect("overview")
        .with_today(day(5));
    let ids: Vec<_> = o
        .deadlines
        .iter()
        .map(|d| (d.deadline_id.as_str(), d.overdue, d.agency.name.as_str()))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("early", true, "NAV"),
            ("middle", false, "Skatteetaten"),
            ("late", false, "NAV")
        ]
    );
    assert_eq!(o.benefits[0].amount, "1766.00");
    assert_eq!(o.benefits[0].next_payment, Some(day(20)));
    let open: Vec<_> = o
        .cases
        .iter()
        .map(|c| (c.case_id.as_str(), c.open))
        .collect();
    assert_eq!(
        open,
        vec![("OPEN", true), ("DONE", false)],
        "open cases first"
    );
}

async fn messages_are_marked_read_when_opened(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let p = person(6);
    let msg = |id: &str| {
        Item::Message(ValidMessage {
            pid: p.clone(),
            message_id: id.into(),
            subject: format!("Brev {id}"),
            body: format!("Innhold {id}"),
        })
    };
    ok_all(
        &store
            .ingest(nav, vec![msg("a"), msg("b")])
            .await
            .expect("ingest"),
    );
    let o = store
        .overview(p.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    assert_eq!((o.total_messages, o.unread_messages), (2, 2));
    assert!(
        o.messages.iter().all(|m| m.body.is_none()),
        "the overview lists subjects, not bodies"
    );
    let opened = store
        .open_message(p.as_str(), "889640782", "a", Utc::now())
        .await
        .expect("open");
    assert_eq!(
        opened.as_ref().and_then(|m| m.body.as_deref()),
        Some("Innhold a")
    );
    let o = store
        .overview(p.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    assert_eq!(o.unread_messages, 1);
    let other = person(7);
    assert!(
        store
            .open_message(other.as_str(), "889640782", "a", Utc::now())
            .await
            .expect("open")
            .is_none(),
        "another person cannot open it"
    );
    assert_eq!(
        store.messages(p.as_str(), 1, 10).await.expect("page").len(),
        1,
        "pagination skips"
    );
}

/// GET never changes state: reading is `message`, marking read is its own write.
async fn reading_a_message_changes_nothing_until_it_is_marked_read(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let p = person(8);
    ok_all(
        &store
            .ingest(
                nav,
                vec![Item::Message(ValidMessage {
                    pid: p.clone(),
                    message_id: "read-me".into(),
                    subject: "Brev".into(),
                    body: "Innhold".into(),
                })],
            )
            .await
            .expect("ingest"),
    );
    for _ in 0..2 {
        let m = store
            .message(p.as_str(), "889640782", "read-me")
            .await
            .expect("read")
            .expect("found");
        assert_eq!(m.body.as_deref(), Some("Innhold"));
        assert!(!m.read && m.read_at.is_none(), "reading does not mark read");
    }
    let unread = |o: crate::Overview| o.unread_messages;
    assert_eq!(
        unread(
            store
                .overview(p.as_str(), OverviewLimits::default())
                .await
                .expect("o")
        ),
        1
    );
    let other = person(7);
    assert!(store
        .message(other.as_str(), "889640782", "read-me")
        .await
        .expect("read")
        .is_none());
    assert!(
        !store
            .mark_message_read(other.as_str(), "889640782", "read-me", Utc::now())
            .await
            .expect("mark"),
        "another person cannot mark it read"
    );
    assert!(!store
        .mark_message_read(p.as_str(), "889640782", "no-such", Utc::now())
        .await
        .expect("mark"));
    let first = Utc::now() - chrono::Duration::minutes(5);
    assert!(store
        .mark_message_read(p.as_str(), "889640782", "read-me", first)
        .await
        .expect("mark"));
    assert!(store
        .mark_message_read(p.as_str(), "889640782", "read-me", Utc::now())
        .await
        .expect("mark again"));
    let m = store
        .message(p.as_str(), "889640782", "read-me")
        .await
        .expect("read")
        .expect("found");
    assert!(m.read);
    let kept = m.read_at.expect("read_at");
    assert!(
        (kept - first).num_seconds().abs() < 1,
        "the first reading time stays"
    );
    assert_eq!(
        unread(
            store
                .overview(p.as_str(), OverviewLimits::default())
                .await
                .expect("o")
        ),
        0
    );
}

async fn persons_see_only_their_own(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let people: Vec<Pid> = (10..16).map(person).collect();
    let mut items = Vec::new();
    for (i, p) in people.iter().enumerate() {
        items.push(case(p, &format!("ISO-{i}"), CaseStatus::Received));
        items.push(Item::Message(ValidMessage {
            pid: p.clone(),
            message_id: format!("ISO-{i}"),
            subject: "s".into(),
            body: "b".into(),
        }));
    }
    ok_all(&store.ingest(nav, items).await.expect("ingest"));
    for (i, p) in people.iter().enumerate() {
        let o = store
            .overview(p.as_str(), OverviewLimits::default())
            .await
            .expect("overview");
        assert_eq!(o.cases.len(), 1);
        assert_eq!(o.cases[0].case_id, format!("ISO-{i}"));
        assert_eq!(o.messages.len(), 1);
    }
}

async fn calendar_tokens_rotate_and_revoke(store: &dyn Store) {
    let p = person(20);
    store
        .set_calendar_token(p.as_str(), b"token-1", Utc::now())
        .await
        .expect("set");
    assert_eq!(
        store
            .pid_for_calendar_token(b"token-1")
            .await
            .expect("get")
            .as_deref(),
        Some(p.as_str())
    );
    store
        .set_calendar_token(p.as_str(), b"token-2", Utc::now())
        .await
        .expect("renew");
    assert!(
        store
            .pid_for_calendar_token(b"token-1")
            .await
            .expect("get")
            .is_none(),
        "renewing revokes the old URL"
    );
    assert_eq!(
        store
            .revoke_calendar_tokens(p.as_str(), Utc::now())
            .await
            .expect("revoke"),
        1
    );
    assert!(store
        .pid_for_calendar_token(b"token-2")
        .await
        .expect("get")
        .is_none());
}

async fn sessions_expire(store: &dyn Store) {
    let now = Utc::now();
    let s = Session {
        pid: person(21).to_string(),
        csrf: "c".into(),
        expires_at: now + Duration::hours(1),
    };
    store.create_session(b"sess", &s).await.expect("create");
    assert_eq!(
        store
            .session(b"sess", now)
            .await
            .expect("get")
            .map(|s| s.csrf),
        Some("c".into())
    );
    assert!(
        store
            .session(b"sess", now + Duration::hours(2))
            .await
            .expect("get")
            .is_none(),
        "expired"
    );
    store.delete_session(b"sess").await.expect("delete");
    assert!(
        store.session(b"sess", now).await.expect("get").is_none(),
        "logged out"
    );
}

async fn jwt_ids_are_used_once(store: &dyn Store) {
    let exp = Utc::now() + Duration::minutes(2);
    assert!(store.record_jti("c1", "j1", exp).await.expect("first"));
    assert!(
        !store.record_jti("c1", "j1", exp).await.expect("replay"),
        "a replayed jti is refused"
    );
    assert!(store
        .record_jti("c2", "j1", exp)
        .await
        .expect("other client"));
}

async fn agency_tokens_expire(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let now = Utc::now();
    store
        .insert_agency_token(
            b"t-live",
            nav,
            crate::TokenKind::Access,
            samlet_domain::ScopeSet::parse_lenient("samlet:overview.write"),
            Some(now + Duration::minutes(5)),
        )
        .await
        .expect("insert");
    store
        .insert_agency_token(
            b"t-old",
            nav,
            crate::TokenKind::Access,
            samlet_domain::ScopeSet::parse_lenient("samlet:overview.write"),
            Some(now - Duration::minutes(5)),
        )
        .await
        .expect("insert");
    let live = store.agency_for_token(b"t-live", now).await.expect("get");
    assert_eq!(
        live.map(|g| (g.agency.id, g.kind)),
        Some((nav, crate::TokenKind::Access))
    );
    assert!(store
        .agency_for_token(b"t-old", now)
        .await
        .expect("get")
        .is_none());
    assert!(store.purge_expired(now).await.expect("purge") >= 1);
}

async fn verdicts_follow_the_input_order(store: &dyn Store) {
    let nav = agency(store, "88964078", "NAV").await;
    let (a, b) = (person(24), person(25));
    let msg = |p: &Pid, id: &str| {
        Item::Message(ValidMessage {
            pid: p.clone(),
            message_id: id.into(),
            subject: "s".into(),
            body: "b".into(),
        })
    };
    let dl = Item::Deadline(ValidDeadline {
        pid: b.clone(),
        deadline_id: "ORD-D".into(),
        title: "t".into(),
        due: Due {
            date: NaiveDate::from_ymd_opt(2026, 5, 1).unwrap_or_default(),
            at: None,
        },
        case_id: None,
        url: None,
    });
    let r = store
        .ingest(
            nav,
            vec![
                msg(&a, "ORD-M"),
                dl,
                msg(&b, "ORD-M"),
                case(&b, "ORD-C", CaseStatus::Received),
                msg(&a, "ORD-M2"),
            ],
        )
        .await
        .expect("ingest");
    assert_eq!(
        r,
        vec![
            Ok(()),
            Ok(()),
            Err(Rejection::OtherPerson("ORD-M".into())),
            Ok(()),
            Ok(())
        ],
        "each verdict belongs to its own item"
    );
    let ob = store
        .overview(b.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    assert!(ob.messages.is_empty() && ob.cases.len() == 1 && ob.deadlines.len() == 1);
}

/// Lånekassen's case for Per is resent, by mistake, for Pål with another
/// status, and a status change for Pål names Per's case: both are refused and
/// Per's case, its status and its timeline are as before.
async fn case_status_changes_stay_with_their_person(store: &dyn Store) {
    let lk = agency(store, "96085108", "Lånekassen").await;
    let per = person(25);
    let pal = person(26);
    ok_all(
        &store
            .ingest(lk, vec![case(&per, "LK-1", CaseStatus::Received)])
            .await
            .expect("ingest"),
    );
    let before = store
        .overview(per.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    let r = store
        .ingest(
            lk,
            vec![
                case(&pal, "LK-1", CaseStatus::Decided),
                Item::Status(ValidStatus {
                    pid: pal.clone(),
                    case_id: "LK-1".into(),
                    status: CaseStatus::Closed,
                    at: Utc
                        .with_ymd_and_hms(2026, 2, 1, 8, 0, 0)
                        .single()
                        .unwrap_or_default(),
                    note: Some("Avsluttet".into()),
                }),
            ],
        )
        .await
        .expect("ingest");
    assert_eq!(
        r,
        vec![
            Err(Rejection::OtherPerson("LK-1".into())),
            Err(Rejection::OtherPerson("LK-1".into())),
        ]
    );
    let after = store
        .overview(per.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    assert_eq!(
        before.cases, after.cases,
        "a refused case or status change left Per's case, status and timeline as they were"
    );
    let other = store
        .overview(pal.as_str(), OverviewLimits::default())
        .await
        .expect("overview");
    assert!(other.cases.is_empty(), "Pål never sees Per's case");
}

/// Eight ingests race to create the same Skatteetaten case ids, each for its
/// own person (on PostgreSQL each in its own transaction on its own
/// connection). For every id exactly one wins; the others get the per-item
/// rejection, their status changes on those ids are refused too, and every
/// stored case still belongs to, and reads as, its winner.
pub async fn racing_ingests_never_move_a_case(store: std::sync::Arc<dyn Store>) {
    const RACERS: u32 = 8;
    const IDS: usize = 20;
    let skatt = agency(store.as_ref(), "97499550", "Skatteetaten").await;
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(RACERS as usize));
    let mut tasks = Vec::new();
    for r in 0..RACERS {
        let store = store.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            let pid = person(1 + r);
            let mut items: Vec<Item> = (0..IDS)
                .map(|i| {
                    let mut c = case(&pid, &format!("RACE-{i}"), CaseStatus::Received);
                    if let Item::Case(c) = &mut c {
                        c.title = format!("Racer {r}");
                    }
                    c
                })
                .collect();
            items.push(Item::Status(ValidStatus {
                pid: pid.clone(),
                case_id: "RACE-0".into(),
                status: CaseStatus::InProgress,
                at: Utc
                    .with_ymd_and_hms(2026, 3, 1, 9, r, 0)
                    .single()
                    .unwrap_or_default(),
                note: None,
            }));
            barrier.wait().await;
            let verdicts = store.ingest(skatt, items).await.expect("ingest");
            (pid, verdicts)
        }));
    }
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("racer"));
    }
    for i in 0..=IDS {
        let winners = results.iter().filter(|(_, v)| v[i].is_ok()).count();
        assert_eq!(
            winners, 1,
            "item {i}: exactly one racer wins, not {winners}"
        );
        for (_, v) in &results {
            if let Err(e) = &v[i] {
                let id = if i == IDS {
                    "RACE-0".to_owned()
                } else {
                    format!("RACE-{i}")
                };
                assert_eq!(e, &Rejection::OtherPerson(id), "item {i}");
            }
        }
    }
    for (r, (pid, verdicts)) in results.iter().enumerate() {
        let o = store
            .overview(pid.as_str(), OverviewLimits::default())
            .await
            .expect("overview");
        let mine: Vec<_> = o
            .cases
            .iter()
            .filter(|c| c.case_id.starts_with("RACE-"))
            .collect();
        let mut seen: Vec<String> = mine.iter().map(|c| c.case_id.clone()).collect();
        seen.sort();
        let mut won: Vec<String> = (0..IDS)
            .filter(|&i| verdicts[i].is_ok())
            .map(|i| format!("RACE-{i}"))
            .collect();
        won.sort();
        assert_eq!(seen, won, "racer {r} sees exactly the cases it won");
        for c in mine {
            assert_eq!(
                c.title,
                format!("Racer {r}"),
                "{}: never overwritten by a loser",
                c.case_id
            );
            let timeline: Vec<_> = c.timeline.iter().map(|e| e.status).collect();
            let expect = if c.case_id == "RACE-0" {
                vec![CaseStatus::Received, CaseStatus::InProgress]
            } else {
                vec![CaseStatus::Received]
            };
            assert_eq!(timeline, expect, "{}: only the winner's events", c.case_id);
        }
    }
}
