//! User story: Spekter re-runs its 2021 gathering in Samlet. One hundred
//! participants rate the 14 trends so that the means equal the scores the
//! study published; Samlet must reach the study's own conclusions.

use samlet_foresight::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

const ROLES: [(&str, usize); 5] = [
    ("clinician", 40),
    ("adviser", 30),
    ("director", 20),
    ("managing_director", 7),
    ("other", 3),
];

/// 100 ballots whose per-trend sums are exactly 100 × the published means:
/// every ballot gets floor(mean) and the first `rem` ballots one more.
fn study_ballots(library: &Library, trends: &TrendSet) -> Result<Vec<Ballot>, BallotError> {
    let role_of = |i: usize| {
        let mut acc = 0;
        for (role, n) in ROLES {
            acc += n;
            if i < acc {
                return role;
            }
        }
        "other"
    };
    (0..100usize)
        .map(|i| {
            let ratings = library.trends().iter().map(|t| {
                let split = |mean: f64| {
                    let total = (mean * 100.0).round() as i64;
                    let (base, rem) = (total / 100, total % 100);
                    base + i64::from((i as i64) < rem)
                };
                (
                    t.code.clone(),
                    split(t.reference_scores.map_or(3.5, |r| r.importance)),
                    split(t.reference_scores.map_or(3.5, |r| r.preparedness)),
                )
            });
            let participant = ParticipantInfo::new(Some(role_of(i)), Some((i % 30) as u32))?;
            Ballot::new(participant, ratings, trends)
        })
        .collect()
}

#[test]
fn the_study_is_reproduced_from_its_published_scores() -> TestResult {
    let library = Library::builtin()?;
    let trends = library.trend_set(Lang::Nb)?;
    let ballots = study_ballots(&library, &trends)?;
    let r = aggregate(
        &trends,
        &Thresholds::default(),
        &SegmentConfig::default(),
        &ballots,
    )?;

    assert_eq!(r.ballots, 100);
    // Means are exact: 523 / 100 etc.
    let t12 = r
        .trends
        .iter()
        .find(|t| t.code == "1.2")
        .ok_or("1.2 missing")?;
    assert_eq!(t12.importance_mean, Some(5.23));
    assert_eq!(t12.preparedness_mean, Some(2.61));
    assert_eq!(t12.n, 100);

    // "Det gir 12 av 14 trender i blindsonen" — 1.3 and 2.3 are out.
    let out: Vec<&str> = r
        .trends
        .iter()
        .filter(|t| !t.in_blind_spot)
        .map(|t| t.code.as_str())
        .collect();
    assert_eq!(out.len(), 2);
    assert!(out.contains(&"1.3"), "importance 4,4 is below 4,5");
    // 2.3 has preparedness exactly 3,5: strictly-below fails, as the study says.
    assert!(out.contains(&"2.3"));

    // "det største gapet for trend 3.4"; sorted by gap descending.
    assert_eq!(r.trends[0].code, "3.4");
    assert!(r
        .trends
        .windows(2)
        .all(|w| w[0].gap.unwrap_or(f64::MIN) >= w[1].gap.unwrap_or(f64::MIN)));
    // "Totalt er det syv trender med over 2 i gap".
    assert_eq!(r.trends.iter().filter(|t| t.gap > Some(2.0)).count(), 7);

    // Theme averages as published (1,94 / 1,82 / 2,16), within footnote rounding.
    let themes: Vec<(&str, f64)> = r
        .themes
        .iter()
        .map(|t| (t.theme.as_str(), t.mean_gap.unwrap_or(f64::NAN)))
        .collect();
    assert_eq!(themes.len(), 3);
    for ((name, got), (want_name, want)) in themes.iter().zip([
        ("Samfunnet", 1.94),
        ("Pasienten", 1.82),
        ("Tjenesten", 2.16),
    ]) {
        assert_eq!(*name, want_name);
        assert!((got - want).abs() < 0.025, "{name}: {got} vs {want}");
    }
    Ok(())
}

#[test]
fn small_roles_are_hidden_and_cannot_be_subtracted_out() -> TestResult {
    let library = Library::builtin()?;
    let trends = library.trend_set(Lang::Nb)?;
    let ballots = study_ballots(&library, &trends)?;
    let r = aggregate(
        &trends,
        &Thresholds::default(),
        &SegmentConfig::default(),
        &ballots,
    )?;

    let by_role = &r.segments.by_role;
    let find = |k: &str| by_role.iter().find(|s| s.key() == Some(k));
    // Three "other" are below five, so hidden ...
    assert!(find("other").is_none());
    // ... and 100 − (40 + 30 + 20 + 7) would reveal them, so the smallest shown
    // group (7 managing directors) is hidden as well.
    assert!(find("managing_director").is_none());
    assert!(matches!(
        find("clinician"),
        Some(Segment::Shown { ballots: 40, .. })
    ));
    // The hidden groups are one entry, last, with neither numbers nor label.
    assert_eq!(by_role.last(), Some(&Segment::Hidden));
    assert_eq!(by_role.iter().filter(|s| **s == Segment::Hidden).count(), 1);

    let json = serde_json::to_value(&r)?;
    let roles = &json["segments"]["by_role"];
    let last = roles
        .as_array()
        .and_then(|a| a.last())
        .ok_or("by_role is a non-empty array")?;
    assert_eq!(last, &serde_json::json!({"status": "hidden"}));
    let text = roles.to_string();
    assert!(!text.contains("other") && !text.contains("managing_director"));
    Ok(())
}

#[test]
fn results_serialise_in_the_documented_shape() -> TestResult {
    let trends = TrendSet::new(vec![
        TrendRef::new("1.1", "Økt etterspørsel", "Samfunnet"),
        TrendRef::new("2.1", "Økte helseforskjeller", "Pasienten"),
    ])?;
    let kari = Ballot::from_json(
        r#"{"ratings":[{"trend":"1.1","importance":5,"preparedness":3}]}"#,
        &trends,
    )?;
    let r = aggregate(
        &trends,
        &Thresholds::default(),
        &SegmentConfig::default(),
        [&kari],
    )?;
    let v = serde_json::to_value(&r)?;
    assert_eq!(v["ballots"], 1);
    assert_eq!(
        v["trends"][0],
        serde_json::json!({"code": "1.1", "title": "Økt etterspørsel", "theme": "Samfunnet",
            "n": 1, "importance_mean": 5.0, "preparedness_mean": 3.0, "gap": 2.0,
            "in_blind_spot": true})
    );
    // A trend nobody rated has null means and sorts last.
    assert_eq!(
        v["trends"][1],
        serde_json::json!({"code": "2.1", "title": "Økte helseforskjeller", "theme": "Pasienten",
            "n": 0, "importance_mean": null, "preparedness_mean": null, "gap": null,
            "in_blind_spot": false})
    );
    assert_eq!(
        v["themes"],
        serde_json::json!([{"theme": "Samfunnet", "mean_gap": 2.0},
                           {"theme": "Pasienten", "mean_gap": null}])
    );
    let obj = v.as_object().ok_or("object")?;
    let keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 4);
    for k in ["ballots", "trends", "themes", "segments"] {
        assert!(obj.contains_key(k));
    }
    // Default experience buckets: 0-4, 5-9, 10-19, 20+, all hidden with one
    // ballot, so one hidden entry without a label.
    assert_eq!(r.segments.by_experience, [Segment::Hidden]);
    // Round trip.
    let back: Results = serde_json::from_value(v)?;
    assert_eq!(back, r);
    Ok(())
}

#[test]
fn a_ballot_from_another_session_is_refused() -> TestResult {
    let a = TrendSet::new(vec![TrendRef::new("A", "a", "t")])?;
    let b = TrendSet::new(vec![TrendRef::new("B", "b", "t")])?;
    let ola = Ballot::from_json(
        r#"{"ratings":[{"trend":"B","importance":2,"preparedness":2}]}"#,
        &b,
    )?;
    let mut live = Aggregator::new(a, Thresholds::default(), SegmentConfig::default());
    assert_eq!(
        live.add(&ola),
        Err(AggregateError::ForeignTrend("B".into()))
    );
    assert_eq!(live.ballots(), 0);
    Ok(())
}

#[test]
fn removing_a_ballot_that_was_never_counted_fails_cleanly() -> TestResult {
    let trends = TrendSet::new(vec![TrendRef::new("1", "a", "t")])?;
    let p = ParticipantInfo::new(Some("adviser"), None)?;
    let ingrid = Ballot::new(p, [("1".to_string(), 6, 1)], &trends)?;
    let mut live = Aggregator::new(trends, Thresholds::default(), SegmentConfig::default());
    let before = live.results();
    assert_eq!(live.remove(&ingrid), Err(AggregateError::NotCounted));
    assert_eq!(live.results(), before);
    Ok(())
}

#[test]
fn segment_config_is_validated() {
    assert!(ExperienceBuckets::new(vec![1, 5]).is_err());
    assert!(ExperienceBuckets::new(vec![0, 5, 5]).is_err());
    assert!(ExperienceBuckets::new(vec![]).is_err());
    assert!(SegmentConfig::new(ExperienceBuckets::default(), 4, None).is_err());
    let b = ExperienceBuckets::new(vec![0, 1, 3]).ok();
    let labels: Option<Vec<String>> = b.map(|b| (0..b.len()).map(|i| b.label(i)).collect());
    assert_eq!(
        labels,
        Some(vec!["0".to_string(), "1-2".to_string(), "3+".to_string()])
    );
}

#[test]
fn a_participant_who_types_their_name_as_role_is_not_singled_out() -> TestResult {
    let trends = TrendSet::new(vec![TrendRef::new("1.1", "Økt etterspørsel", "Samfunnet")])?;
    let kari = Ballot::from_json(
        r#"{"participant":{"role":"Kari Nordmann, Ahus"},
            "ratings":[{"trend":"1.1","importance":6,"preparedness":1}]}"#,
        &trends,
    )?;
    let r = aggregate(
        &trends,
        &Thresholds::default(),
        &SegmentConfig::default(),
        [&kari],
    )?;
    assert_eq!(r.segments.by_role, [Segment::Hidden]);
    assert!(!serde_json::to_string(&r)?.contains("Kari"));

    // A session that opts into free-text roles gets them as keys, but a group
    // under five is still hidden without its label.
    let open = SegmentConfig::new(ExperienceBuckets::default(), 5, None)?;
    let r = aggregate(&trends, &Thresholds::default(), &open, [&kari])?;
    assert_eq!(r.segments.by_role, [Segment::Hidden]);
    assert!(!serde_json::to_string(&r)?.contains("Kari"));
    Ok(())
}

#[test]
fn segment_config_from_json_is_validated() -> TestResult {
    let d: SegmentConfig = serde_json::from_str("{}")?;
    assert_eq!(d, SegmentConfig::default());
    let c: SegmentConfig =
        serde_json::from_str(r#"{"experience_buckets":[0,10],"min_segment_size":8}"#)?;
    assert_eq!(c.min_segment_size(), 8);
    assert!(serde_json::from_str::<SegmentConfig>(r#"{"min_segment_size":2}"#).is_err());
    assert!(serde_json::from_str::<SegmentConfig>(r#"{"experience_buckets":[3]}"#).is_err());
    Ok(())
}
