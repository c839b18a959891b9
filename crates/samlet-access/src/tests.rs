//! Unit and property tests of the policy. The property tests build random
//! graphs of persons, mandates, guardianships, parental relations and
//! consents with random validity windows and revocations, and compare
//! [`decide`] with a deliberately plain oracle.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

fn t(day: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::days(day)
}

fn birth(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 6, 15).unwrap_or_default()
}

fn mandate(id: &str, from: &str, to: &str) -> Representation {
    Representation {
        id: id.into(),
        kind: BasisKind::Mandate,
        subject: from.into(),
        representative: to.into(),
        scopes: vec![Scope::Area("benefits".into())],
        actions: vec![Action::Read],
        valid_from: t(0),
        valid_to: Some(t(100)),
        revoked_at: None,
        subject_birth: Some(birth(1950)),
    }
}

fn read(representative: &'static str, subject: &'static str) -> Request<'static> {
    Request::Represent {
        representative,
        subject,
        action: Action::Read,
    }
}

fn deny_code(d: Decision) -> &'static str {
    match d {
        Decision::Deny(r) => r.code(),
        Decision::Allow(_) => "allowed",
    }
}

#[test]
fn a_mandate_allows_reading_within_its_window_and_scope() {
    let m = [mandate("m1", "ola", "kari")];
    let facts = Facts {
        representations: &m,
        consents: &[],
    };
    let r = &Rules::NORWAY;
    match decide(&facts, &read("kari", "ola"), t(5), r) {
        Decision::Allow(Basis::Represent { ids, scopes, .. }) => {
            assert_eq!(ids, vec!["m1".to_string()]);
            assert!(scopes.covers(&["benefits".into()], None));
            assert!(!scopes.covers(&["health".into()], None));
            assert!(!scopes.covers(&[], Some("dagpenger")));
        }
        other => panic!("expected allow, got {other:?}"),
    }
    assert_eq!(
        deny_code(decide(&facts, &read("ola", "kari"), t(5), r)),
        "no-basis"
    );
    assert_eq!(
        deny_code(decide(&facts, &read("kari", "ola"), t(-1), r)),
        "not-yet-valid"
    );
    assert_eq!(
        deny_code(decide(&facts, &read("kari", "ola"), t(100), r)),
        "expired"
    );
    assert_eq!(
        deny_code(decide(&facts, &read("kari", "kari"), t(5), r)),
        "own-data"
    );
    let act = Request::Represent {
        representative: "kari",
        subject: "ola",
        action: Action::Act,
    };
    assert_eq!(
        deny_code(decide(&facts, &act, t(5), r)),
        "action-not-granted"
    );
}

#[test]
fn revocation_is_effective_at_once() {
    let mut m = mandate("m1", "ola", "kari");
    m.revoked_at = Some(t(10));
    let facts = Facts {
        representations: std::slice::from_ref(&m),
        consents: &[],
    };
    assert!(decide(&facts, &read("kari", "ola"), t(9), &Rules::NORWAY).is_allow());
    assert_eq!(
        deny_code(decide(&facts, &read("kari", "ola"), t(10), &Rules::NORWAY)),
        "revoked"
    );
}

#[test]
fn parental_authority_ends_at_eighteen() {
    let child_birth = NaiveDate::from_ymd_opt(2008, 3, 1).unwrap_or_default();
    let p = Representation {
        kind: BasisKind::Parental,
        valid_to: None,
        subject_birth: Some(child_birth),
        scopes: vec![Scope::All],
        ..mandate("p1", "ola", "kari")
    };
    let facts = Facts {
        representations: std::slice::from_ref(&p),
        consents: &[],
    };
    let before = Utc
        .with_ymd_and_hms(2026, 2, 28, 23, 59, 0)
        .single()
        .unwrap_or_default();
    let after = Utc
        .with_ymd_and_hms(2026, 3, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    assert!(decide(&facts, &read("kari", "ola"), before, &Rules::NORWAY).is_allow());
    assert_eq!(
        deny_code(decide(&facts, &read("kari", "ola"), after, &Rules::NORWAY)),
        "came-of-age"
    );
}

#[test]
fn the_age_rule_for_giving_a_mandate_is_configurable() {
    let sixteen = Person {
        pid: "young",
        birth: NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default(),
    };
    let adult = Person {
        pid: "adult",
        birth: birth(1980),
    };
    let scopes = [Scope::All];
    let actions = [Action::Read];
    let give = |giver, to| Request::GiveMandate {
        giver,
        to,
        scopes: &scopes,
        actions: &actions,
        valid_from: t(0),
        valid_to: None,
    };
    let none = Facts::default();
    assert_eq!(
        deny_code(decide(&none, &give(sixteen, adult), t(0), &Rules::NORWAY)),
        "giver-too-young"
    );
    assert!(decide(&none, &give(sixteen, adult), t(0), &Rules::DENMARK).is_allow());
    assert_eq!(
        deny_code(decide(&none, &give(adult, sixteen), t(0), &Rules::DENMARK)),
        "representative-too-young"
    );
    assert_eq!(
        deny_code(decide(&none, &give(adult, adult), t(0), &Rules::NORWAY)),
        "mandate-to-self"
    );
}

#[test]
fn scopes_parse_areas_services_and_all() {
    assert_eq!(Scope::parse("all"), Ok(Scope::All));
    assert_eq!(Scope::parse("health"), Ok(Scope::Area("health".into())));
    assert_eq!(
        Scope::parse("dagpenger"),
        Ok(Scope::Service("dagpenger".into()))
    );
    assert!(Scope::parse("").is_err());
    assert!(Scope::parse("Has Space").is_err());
    assert!(Scope::parse("-x").is_err());
}

#[test]
fn consent_follows_its_life_cycle() {
    let mut c = Consent {
        id: "c1".into(),
        subject: "ola".into(),
        requester_org: "oslo".into(),
        from_org: "nav".into(),
        categories: vec!["benefits".into()],
        status: ConsentStatus::Pending,
        valid_to: t(30),
        revoked_at: None,
    };
    let share = |cat: &'static str| Request::Share {
        requester_org: "oslo",
        subject: "ola",
        category: cat,
    };
    let check = |c: &Consent, cat, at| {
        deny_code(decide(
            &Facts {
                representations: &[],
                consents: std::slice::from_ref(c),
            },
            &share(cat),
            at,
            &Rules::NORWAY,
        ))
    };
    assert_eq!(check(&c, "benefits", t(1)), "consent-pending");
    c.status = ConsentStatus::Declined;
    assert_eq!(check(&c, "benefits", t(1)), "consent-declined");
    c.status = ConsentStatus::Approved;
    assert_eq!(check(&c, "benefits", t(1)), "allowed");
    assert_eq!(check(&c, "cases", t(1)), "category-not-covered");
    assert_eq!(check(&c, "benefits", t(30)), "consent-expired");
    c.revoked_at = Some(t(2));
    assert_eq!(check(&c, "benefits", t(2)), "consent-revoked");
    let none = Facts::default();
    assert_eq!(
        deny_code(decide(&none, &share("benefits"), t(1), &Rules::NORWAY)),
        "no-consent"
    );
}

// ---- property tests over random graphs ----

const PEOPLE: [&str; 5] = ["p0", "p1", "p2", "p3", "p4"];
const ORGS: [&str; 3] = ["o0", "o1", "o2"];

fn arb_time() -> impl Strategy<Value = DateTime<Utc>> {
    (-50i64..50).prop_map(t)
}

fn arb_representation() -> impl Strategy<Value = Representation> {
    (
        0usize..3,
        0usize..5,
        0usize..5,
        proptest::collection::vec(0usize..4, 0..3),
        proptest::collection::vec(any::<bool>(), 0..3),
        arb_time(),
        proptest::option::of(arb_time()),
        proptest::option::of(arb_time()),
        (1990i32..2030),
        any::<u32>(),
    )
        .prop_map(
            |(k, s, r, scopes, acts, from, to, revoked, year, id)| Representation {
                id: format!("r{id}"),
                kind: [
                    BasisKind::Mandate,
                    BasisKind::Guardianship,
                    BasisKind::Parental,
                ][k],
                subject: PEOPLE[s].into(),
                representative: PEOPLE[r].into(),
                scopes: scopes
                    .into_iter()
                    .map(|i| match i {
                        0 => Scope::All,
                        1 => Scope::Area("health".into()),
                        2 => Scope::Area("benefits".into()),
                        _ => Scope::Service("dagpenger".into()),
                    })
                    .collect(),
                actions: acts
                    .into_iter()
                    .map(|a| if a { Action::Act } else { Action::Read })
                    .collect(),
                valid_from: from,
                valid_to: to,
                revoked_at: revoked,
                subject_birth: Some(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default()),
            },
        )
}

fn arb_consent() -> impl Strategy<Value = Consent> {
    (
        0usize..5,
        0usize..3,
        0usize..3,
        proptest::collection::vec(0usize..4, 0..3),
        0usize..3,
        arb_time(),
        proptest::option::of(arb_time()),
        any::<u32>(),
    )
        .prop_map(|(s, req, from, cats, st, to, revoked, id)| Consent {
            id: format!("c{id}"),
            subject: PEOPLE[s].into(),
            requester_org: ORGS[req].into(),
            from_org: ORGS[from].into(),
            categories: cats
                .into_iter()
                .map(|i| CATEGORIES[i].to_string())
                .collect(),
            status: [
                ConsentStatus::Pending,
                ConsentStatus::Approved,
                ConsentStatus::Declined,
            ][st],
            valid_to: to,
            revoked_at: revoked,
        })
}

/// The oracle, written plainly and separately from `decide`.
fn valid_representation(
    r: &Representation,
    rep: &str,
    sub: &str,
    action: Action,
    now: DateTime<Utc>,
) -> bool {
    let of_age_at = r
        .subject_birth
        .and_then(|b| b.with_year(b.year() + 18))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc());
    r.representative == rep
        && r.subject == sub
        && rep != sub
        && r.valid_from <= now
        && r.valid_to.is_none_or(|t| now < t)
        && r.revoked_at.is_none_or(|t| now < t)
        && (r.kind != BasisKind::Parental || of_age_at.is_some_and(|t| now < t))
        && (r.actions.contains(&action) || r.actions.contains(&Action::Act))
}

fn valid_consent(c: &Consent, org: &str, sub: &str, cat: &str, now: DateTime<Utc>) -> bool {
    c.subject == sub
        && c.requester_org == org
        && c.status == ConsentStatus::Approved
        && now < c.valid_to
        && c.revoked_at.is_none_or(|t| now < t)
        && c.categories.iter().any(|k| k == cat)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// No representative read succeeds without a valid basis, every valid
    /// basis is found, and the scope granted is exactly the union of the
    /// valid bases' scopes.
    #[test]
    fn represent_allows_exactly_with_a_valid_basis(
        reps in proptest::collection::vec(arb_representation(), 0..12),
        r in 0usize..5, s in 0usize..5, act in any::<bool>(), now in arb_time(),
    ) {
        let action = if act { Action::Act } else { Action::Read };
        let (rep, sub) = (PEOPLE[r], PEOPLE[s]);
        let facts = Facts { representations: &reps, consents: &[] };
        let d = decide(&facts, &Request::Represent { representative: rep, subject: sub, action }, now, &Rules::NORWAY);
        let valid: Vec<&Representation> = reps.iter().filter(|x| valid_representation(x, rep, sub, action, now)).collect();
        match d {
            Decision::Allow(Basis::Represent { ids, scopes, .. }) => {
                prop_assert!(!valid.is_empty(), "allowed without a valid basis");
                prop_assert_eq!(ids.len(), valid.len());
                let mut want = ScopeSet::default();
                for v in &valid { for sc in &v.scopes { want.add(sc); } }
                prop_assert_eq!(scopes, want);
            }
            Decision::Allow(other) => prop_assert!(false, "wrong basis {:?}", other),
            Decision::Deny(_) => prop_assert!(valid.is_empty(), "denied despite a valid basis"),
        }
    }

    /// No act (or read) on one item succeeds without a basis valid for that
    /// action whose own scopes cover the item; and every such basis is found.
    #[test]
    fn acting_on_an_item_needs_a_valid_basis_covering_it(
        reps in proptest::collection::vec(arb_representation(), 0..12),
        r in 0usize..5, s in 0usize..5, act in any::<bool>(), now in arb_time(),
        item_area in proptest::option::of(0usize..3), service in any::<bool>(),
    ) {
        let action = if act { Action::Act } else { Action::Read };
        let (rep, sub) = (PEOPLE[r], PEOPLE[s]);
        let areas: Vec<String> = item_area
            .map(|i| ["health", "benefits", "tax"][i].to_string())
            .into_iter()
            .collect();
        let item_service = service.then_some("dagpenger");
        let facts = Facts { representations: &reps, consents: &[] };
        let d = decide(
            &facts,
            &Request::RepresentItem { representative: rep, subject: sub, action, item_areas: &areas, item_service },
            now,
            &Rules::NORWAY,
        );
        let covers = |x: &Representation| x.scopes.iter().any(|sc| match sc {
            Scope::All => true,
            Scope::Area(a) => areas.contains(a),
            Scope::Service(v) => item_service == Some(v.as_str()),
        });
        let valid: Vec<&Representation> = reps.iter().filter(|x| valid_representation(x, rep, sub, action, now)).collect();
        let covering = valid.iter().any(|x| covers(x));
        let allowed = d.is_allow();
        match d {
            Decision::Allow(Basis::Represent { ids, .. }) => {
                prop_assert!(covering, "allowed without a valid basis covering the item");
                prop_assert_eq!(ids.len(), valid.len());
            }
            Decision::Allow(other) => prop_assert!(false, "wrong basis {:?}", other),
            Decision::Deny(reason) => {
                prop_assert!(!covering, "denied despite a valid basis covering the item");
                if !valid.is_empty() {
                    prop_assert_eq!(reason, DenyReason::OutOfScope);
                }
            }
        }
        // Acting is never allowed on a basis that only allows reading.
        if act && reps.iter().all(|x| !x.actions.contains(&Action::Act)) {
            prop_assert!(!allowed);
        }
    }

    /// No shared read succeeds without an approved, unexpired, unrevoked
    /// consent for that requester, person and category.
    #[test]
    fn share_allows_exactly_with_a_valid_consent(
        consents in proptest::collection::vec(arb_consent(), 0..12),
        reps in proptest::collection::vec(arb_representation(), 0..4),
        o in 0usize..3, s in 0usize..5, cat in 0usize..4, now in arb_time(),
    ) {
        let (org, sub, category) = (ORGS[o], PEOPLE[s], CATEGORIES[cat]);
        let facts = Facts { representations: &reps, consents: &consents };
        let d = decide(&facts, &Request::Share { requester_org: org, subject: sub, category }, now, &Rules::NORWAY);
        let valid: Vec<&Consent> = consents.iter().filter(|c| valid_consent(c, org, sub, category, now)).collect();
        match d {
            Decision::Allow(Basis::Consent { ids, from_orgs }) => {
                prop_assert!(!valid.is_empty());
                prop_assert_eq!(ids.len(), valid.len());
                for f in &from_orgs { prop_assert!(valid.iter().any(|c| &c.from_org == f)); }
            }
            Decision::Allow(other) => prop_assert!(false, "wrong basis {:?}", other),
            Decision::Deny(_) => prop_assert!(valid.is_empty()),
        }
    }

    /// A scope set covers an item only through `all`, one of the item's
    /// areas, or its service.
    #[test]
    fn scope_sets_cover_only_what_they_name(
        scopes in proptest::collection::vec(0usize..4, 0..4),
        item_area in proptest::option::of(0usize..8), service in proptest::option::of("[a-z]{1,4}"),
    ) {
        let mut set = ScopeSet::default();
        for i in &scopes {
            set.add(&match i { 0 => Scope::All, 1 => Scope::Area("health".into()), 2 => Scope::Area("tax".into()), _ => Scope::Service("abc".into()) });
        }
        let areas: Vec<String> = item_area.map(|i| AREAS[i].to_string()).into_iter().collect();
        let covered = set.covers(&areas, service.as_deref());
        let expected = scopes.contains(&0)
            || (scopes.contains(&1) && (areas.iter().any(|a| a == "health")))
            || (scopes.contains(&2) && (areas.iter().any(|a| a == "tax")))
            || (scopes.contains(&3) && service.as_deref() == Some("abc"));
        prop_assert_eq!(covered, expected);
    }
}

fn all_reasons() -> Vec<DenyReason> {
    vec![
        DenyReason::NoBasis,
        DenyReason::OwnData,
        DenyReason::NotYetValid,
        DenyReason::Expired,
        DenyReason::Revoked,
        DenyReason::ChildCameOfAge,
        DenyReason::ActionNotGranted,
        DenyReason::ConsentMissing,
        DenyReason::ConsentPending,
        DenyReason::ConsentDeclined,
        DenyReason::ConsentRevoked,
        DenyReason::ConsentExpired,
        DenyReason::CategoryNotCovered,
        DenyReason::GiverTooYoung { min: 15 },
        DenyReason::RepresentativeTooYoung { min: 18 },
        DenyReason::MandateToSelf,
        DenyReason::NoScopes,
        DenyReason::NoActions,
        DenyReason::BadPeriod,
        DenyReason::NoSupportScope,
        DenyReason::NoPurpose,
        DenyReason::OutOfScope,
        DenyReason::BasisUnknown,
        DenyReason::BasisNotAccepted,
        DenyReason::BasisRevoked,
        DenyReason::BasisNotYetValid,
        DenyReason::BasisExpired,
        DenyReason::BasisPurposeMismatch,
    ]
}

/// Every refusal reads as a sentence of its own in every language: a
/// missing message would show its id, a copied one another language.
#[test]
fn every_refusal_has_a_sentence_in_every_language() {
    use samlet_i18n::Lang;
    for r in &all_reasons() {
        let texts: Vec<String> = Lang::ALL.iter().map(|l| r.text(*l)).collect();
        for (l, t) in Lang::ALL.iter().zip(&texts) {
            assert!(!t.starts_with("deny-"), "{}: no {l} text", r.code());
            assert!(t.ends_with('.'), "{l} {}: {t}", r.code());
        }
        let distinct: std::collections::BTreeSet<_> = texts.iter().collect();
        assert!(
            distinct.len() >= 3,
            "{}: languages share a text: {texts:?}",
            r.code()
        );
    }
    for l in Lang::ALL {
        assert!(DenyReason::GiverTooYoung { min: 15 }.text(l).contains("15"));
    }
    let codes: std::collections::BTreeSet<&str> = all_reasons().iter().map(|r| r.code()).collect();
    assert_eq!(codes.len(), all_reasons().len(), "codes are distinct");
}

/// Fails to compile when a reason is added and not listed in [`all_reasons`].
#[allow(dead_code)]
fn all_reasons_is_complete(r: &DenyReason) {
    match r {
        DenyReason::NoBasis
        | DenyReason::OwnData
        | DenyReason::NotYetValid
        | DenyReason::Expired
        | DenyReason::Revoked
        | DenyReason::ChildCameOfAge
        | DenyReason::ActionNotGranted
        | DenyReason::ConsentMissing
        | DenyReason::ConsentPending
        | DenyReason::ConsentDeclined
        | DenyReason::ConsentRevoked
        | DenyReason::ConsentExpired
        | DenyReason::CategoryNotCovered
        | DenyReason::GiverTooYoung { .. }
        | DenyReason::RepresentativeTooYoung { .. }
        | DenyReason::MandateToSelf
        | DenyReason::NoScopes
        | DenyReason::NoActions
        | DenyReason::BadPeriod
        | DenyReason::NoSupportScope
        | DenyReason::NoPurpose
        | DenyReason::OutOfScope
        | DenyReason::BasisUnknown
        | DenyReason::BasisNotAccepted
        | DenyReason::BasisRevoked
        | DenyReason::BasisNotYetValid
        | DenyReason::BasisExpired
        | DenyReason::BasisPurposeMismatch => {}
    }
}
