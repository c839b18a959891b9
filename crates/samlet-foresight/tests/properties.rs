//! Properties the server relies on when it keeps live counts during a gathering.

use proptest::prelude::*;
use samlet_foresight::*;

fn trends() -> TrendSet {
    match TrendSet::new(vec![
        TrendRef::new("1.1", "Økt etterspørsel", "Samfunnet"),
        TrendRef::new("1.2", "Produktivitet blir viktigere", "Samfunnet"),
        TrendRef::new("2.1", "Økte helseforskjeller", "Pasienten"),
        TrendRef::new(
            "3.4",
            "Digitalgigantene trer inn i helse og omsorg",
            "Tjenesten",
        ),
    ]) {
        Ok(t) => t,
        Err(e) => panic!("fixture: {e}"),
    }
}

const CODES: [&str; 4] = ["1.1", "1.2", "2.1", "3.4"];

/// A random valid ballot: a random role (or none), experience (or none), and a
/// rating for a random subset of the trends.
fn ballot() -> impl Strategy<Value = Ballot> {
    let role = prop_oneof![
        Just(None),
        Just(Some("clinician")),
        Just(Some("adviser")),
        Just(Some("director")),
    ];
    let exp = proptest::option::of(0u32..45);
    let lines = proptest::collection::vec(proptest::option::of((1i64..=6, 1i64..=6)), 4);
    (role, exp, lines).prop_map(|(role, exp, lines)| {
        let participant = match ParticipantInfo::new(role, exp) {
            Ok(p) => p,
            Err(e) => panic!("generator: {e}"),
        };
        let ratings = CODES
            .iter()
            .zip(lines)
            .filter_map(|(c, l)| l.map(|(i, p)| (c.to_string(), i, p)));
        match Ballot::new(participant, ratings, &trends()) {
            Ok(b) => b,
            Err(e) => panic!("generator: {e}"),
        }
    })
}

fn ballots(max: usize) -> impl Strategy<Value = Vec<Ballot>> {
    proptest::collection::vec(ballot(), 0..max)
}

fn batch(bs: &[Ballot]) -> Results {
    match aggregate(
        &trends(),
        &Thresholds::default(),
        &SegmentConfig::default(),
        bs,
    ) {
        Ok(r) => r,
        Err(e) => panic!("aggregate: {e}"),
    }
}

fn live() -> Aggregator {
    Aggregator::new(trends(), Thresholds::default(), SegmentConfig::default())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn order_does_not_matter(
        (bs, shuffled) in ballots(40).prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        prop_assert_eq!(batch(&bs), batch(&shuffled));
    }

    #[test]
    fn incremental_equals_batch(keep in ballots(30), drop in ballots(15), seed in any::<u64>()) {
        // Interleave adds of `keep` and `drop` in a seed-dependent order, then
        // withdraw `drop` in reverse: the result must equal batch(`keep`).
        let mut agg = live();
        let mut all: Vec<&Ballot> = keep.iter().chain(drop.iter()).collect();
        let n = all.len();
        for i in 0..n {
            let j = (seed.wrapping_mul(6364136223846793005).wrapping_add(i as u64) % n as u64) as usize;
            all.swap(i, j);
        }
        for b in &all {
            prop_assert!(agg.add(b).is_ok());
        }
        prop_assert_eq!(agg.results(), batch(&all.iter().map(|b| (*b).clone()).collect::<Vec<_>>()));
        for b in drop.iter().rev() {
            prop_assert!(agg.remove(b).is_ok());
        }
        prop_assert_eq!(agg.results(), batch(&keep));
    }

    #[test]
    fn replace_equals_remove_then_add(bs in ballots(25), new in ballot(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!bs.is_empty());
        let old = &bs[pick.index(bs.len())];
        let mut a = live();
        let mut b = live();
        for x in &bs {
            prop_assert!(a.add(x).is_ok());
            prop_assert!(b.add(x).is_ok());
        }
        prop_assert!(a.replace(old, &new).is_ok());
        prop_assert!(b.remove(old).is_ok());
        prop_assert!(b.add(&new).is_ok());
        prop_assert_eq!(a.results(), b.results());
        // And both equal recomputing with the ballot swapped.
        let mut swapped = bs.clone();
        swapped[pick.index(bs.len())] = new.clone();
        prop_assert_eq!(a.results(), batch(&swapped));
    }

    #[test]
    fn thresholds_are_strict(pairs in 1usize..20, prep in 1i64..=3) {
        // Importance alternates 4 and 5: the mean is exactly 4.5, which is not above 4.5.
        let t = trends();
        let mut bs = Vec::new();
        for _ in 0..pairs {
            for imp in [4, 5] {
                let b = Ballot::new(ParticipantInfo::default(), [("1.1".to_string(), imp, prep)], &t);
                prop_assert!(b.is_ok());
                if let Ok(b) = b { bs.push(b); }
            }
        }
        let r = batch(&bs);
        let s = r.trends.iter().find(|s| s.code == "1.1");
        prop_assert_eq!(s.and_then(|s| s.importance_mean), Some(4.5));
        prop_assert_eq!(s.map(|s| s.in_blind_spot), Some(false));
    }

    #[test]
    fn blind_spot_matches_the_definition(bs in ballots(30)) {
        let r = batch(&bs);
        for s in &r.trends {
            let expected = matches!((s.importance_mean, s.preparedness_mean),
                (Some(i), Some(p)) if i > 4.5 && p < 3.5);
            prop_assert_eq!(s.in_blind_spot, expected);
        }
    }

    #[test]
    fn hidden_segments_never_leak_small_counts(bs in ballots(60)) {
        let r = batch(&bs);
        for dim in [&r.segments.by_role, &r.segments.by_experience] {
            let mut shown_total = 0;
            for seg in dim.iter() {
                if let Segment::Shown { ballots, trends, .. } = seg {
                    prop_assert!(*ballots >= MIN_SEGMENT_SIZE);
                    prop_assert!(trends.iter().all(|t| t.n <= *ballots));
                    shown_total += ballots;
                }
            }
            // What is left over (derivable by subtraction) is empty, at least
            // five, or everything (then it is just the public total).
            let rest = r.ballots - shown_total;
            prop_assert!(
                rest == 0 || rest >= MIN_SEGMENT_SIZE || shown_total == 0,
                "rest {}", rest
            );
            // Hidden groups are one entry, last, serialised without numbers or label.
            let hidden = dim.iter().filter(|s| matches!(s, Segment::Hidden)).count();
            prop_assert!(hidden <= 1);
            if hidden == 1 {
                prop_assert_eq!(dim.last(), Some(&Segment::Hidden));
                let v = serde_json::to_value(&Segment::Hidden).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(v, serde_json::json!({"status": "hidden"}));
            }
        }
    }
}
