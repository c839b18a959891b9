//! Registered sharing bases: NAV reads Skatteetaten's cases for sick pay
//! under folketrygdloven § 8-28, and nothing else gets through. The property
//! test compares [`decide_basis`] with a deliberately plain oracle over random
//! bases, readers, purposes, days and acceptance and revocation times.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;

const NAV: &str = "889640782";
const SKATT: &str = "974761076";
const KOMMUNE: &str = "964338531";

fn t(day: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0)
        .single()
        .unwrap_or_default()
        + Duration::days(day)
}

fn d(day: i64) -> NaiveDate {
    t(day).date_naive()
}

fn sick_pay() -> SharingBasis {
    SharingBasis {
        id: "b1".into(),
        reader_org: NAV.into(),
        holder_org: SKATT.into(),
        category: "cases".into(),
        purpose: "vurdere sykepenger".into(),
        legal_basis: "folketrygdloven § 8-28".into(),
        valid_from: d(0),
        valid_to: Some(d(10)),
        accepted_at: Some(t(1)),
        revoked_at: None,
    }
}

fn code(dec: &Decision) -> &'static str {
    match dec {
        Decision::Deny(r) => r.code(),
        Decision::Allow(_) => "allowed",
    }
}

fn ask(bases: &[SharingBasis], id: &str, reader: &str, purpose: &str, day: i64) -> Decision {
    decide_basis(
        bases,
        &BasisRequest {
            basis_id: id,
            reader_org: reader,
            purpose,
        },
        t(day),
        d(day),
    )
}

#[test]
fn nav_reads_skatteetatens_cases_under_an_accepted_basis_in_its_days() {
    let b = [sick_pay()];
    match ask(&b, "b1", NAV, "Vurdere  sykepenger", 5) {
        Decision::Allow(Basis::Registered {
            id,
            holder_org,
            category,
            legal_basis,
        }) => {
            assert_eq!(
                (id.as_str(), holder_org.as_str(), category.as_str()),
                ("b1", SKATT, "cases")
            );
            assert_eq!(legal_basis, "folketrygdloven § 8-28");
        }
        other => panic!("expected allow, got {other:?}"),
    }
    // The last day is inclusive; the day after is not.
    assert_eq!(
        code(&ask(&b, "b1", NAV, "vurdere sykepenger", 10)),
        "allowed"
    );
    assert_eq!(
        code(&ask(&b, "b1", NAV, "vurdere sykepenger", 11)),
        "basis-expired"
    );
    let mut early = sick_pay();
    early.accepted_at = Some(t(-5));
    assert_eq!(
        code(&ask(&[early], "b1", NAV, "vurdere sykepenger", -1)),
        "basis-not-yet-valid",
        "accepted ahead of its first day"
    );
}

#[test]
fn a_basis_before_acceptance_after_revocation_or_for_another_purpose_is_refused() {
    let mut b = sick_pay();
    b.accepted_at = None;
    assert_eq!(
        code(&ask(&[b.clone()], "b1", NAV, "vurdere sykepenger", 5)),
        "basis-not-accepted"
    );
    b.accepted_at = Some(t(1));
    assert_eq!(
        code(&ask(&[b.clone()], "b1", NAV, "vurdere sykepenger", 0)),
        "basis-not-accepted",
        "accepted later that day, not yet at noon of day 0"
    );
    b.revoked_at = Some(t(3));
    assert_eq!(
        code(&ask(&[b.clone()], "b1", NAV, "vurdere sykepenger", 5)),
        "basis-revoked"
    );
    assert_eq!(
        code(&ask(&[sick_pay()], "b1", NAV, "kontroll", 5)),
        "basis-purpose-mismatch"
    );
    assert_eq!(
        code(&ask(&[sick_pay()], "b1", NAV, "  ", 5)),
        "basis-purpose-mismatch"
    );
}

#[test]
fn another_agency_naming_the_basis_learns_nothing_about_it() {
    let b = [sick_pay()];
    assert_eq!(
        code(&ask(&b, "b1", KOMMUNE, "vurdere sykepenger", 5)),
        "basis-unknown"
    );
    assert_eq!(
        code(&ask(&b, "b1", SKATT, "vurdere sykepenger", 5)),
        "basis-unknown",
        "the holder is not the reader"
    );
    assert_eq!(
        code(&ask(&b, "b2", NAV, "vurdere sykepenger", 5)),
        "basis-unknown"
    );
    assert_eq!(code(&ask(&[], "b1", NAV, "x", 5)), "basis-unknown");
}

/// The plain oracle: the rule as a sentence, one condition per line.
fn oracle(
    bases: &[SharingBasis],
    id: &str,
    reader: &str,
    purpose: &str,
    day: i64,
) -> Option<String> {
    let now = t(day);
    let today = d(day);
    for b in bases {
        let mine = b.id == id && b.reader_org == reader;
        let accepted = matches!(b.accepted_at, Some(a) if a <= now);
        let revoked = matches!(b.revoked_at, Some(r) if r <= now);
        let started = b.valid_from <= today;
        let not_ended = match b.valid_to {
            None => true,
            Some(end) => today <= end,
        };
        let words = |s: &str| {
            s.to_lowercase()
                .split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        let purpose_ok = !words(purpose).is_empty() && words(purpose) == words(&b.purpose);
        if mine {
            return (accepted && !revoked && started && not_ended && purpose_ok)
                .then(|| b.holder_org.clone());
        }
    }
    None
}

const ORGS: [&str; 3] = [NAV, SKATT, KOMMUNE];
const PURPOSES: [&str; 3] = ["vurdere sykepenger", "VURDERE sykepenger ", "kontroll"];

fn arb_basis() -> impl Strategy<Value = SharingBasis> {
    (
        0usize..4,
        0usize..3,
        0usize..3,
        0usize..3,
        -5i64..15,
        proptest::option::of(0i64..20),
        proptest::option::of(-5i64..20),
        proptest::option::of(-5i64..20),
    )
        .prop_map(|(id, r, h, p, from, len, acc, rev)| SharingBasis {
            id: format!("b{id}"),
            reader_org: ORGS[r].into(),
            holder_org: ORGS[h].into(),
            category: "cases".into(),
            purpose: PURPOSES[p].into(),
            legal_basis: "folketrygdloven § 8-28".into(),
            valid_from: d(from),
            valid_to: len.map(|l| d(from + l)),
            accepted_at: acc.map(t),
            revoked_at: rev.map(t),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn decide_basis_agrees_with_the_plain_oracle(
        mut bases in proptest::collection::vec(arb_basis(), 0..8),
        id in 0usize..4, reader in 0usize..3, purpose in 0usize..3, day in -8i64..25,
    ) {
        // Ids are unique in the store.
        let mut seen = std::collections::HashSet::new();
        bases.retain(|b| seen.insert(b.id.clone()));
        let id = format!("b{id}");
        let got = ask(&bases, &id, ORGS[reader], PURPOSES[purpose], day);
        let want = oracle(&bases, &id, ORGS[reader], PURPOSES[purpose], day);
        match (&got, &want) {
            (Decision::Allow(Basis::Registered { id: gid, holder_org, .. }), Some(h)) => {
                prop_assert_eq!(gid, &id);
                prop_assert_eq!(holder_org, h);
            }
            (Decision::Deny(_), None) => {}
            _ => prop_assert!(false, "decide_basis {:?} but the oracle {:?}", got, want),
        }
    }
}
