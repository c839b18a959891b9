//! Conformance for [`crate::ForesightStore`]: a strategy team runs a
//! gathering, participants join by code and vote anonymously.

use chrono::{Duration, TimeZone, Utc};

use crate::{
    BallotOutcome, ForesightStore, JoinOutcome, LibraryKind, NewForesightSession, RevealOutcome,
    StoreError,
};

fn t0() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 9, 9, 0, 0)
        .single()
        .unwrap_or_default()
}

fn new_session<'a>(id: &'a str, code: &'a str) -> NewForesightSession<'a> {
    NewForesightSession {
        id,
        join_code: code,
        title: "Helse og omsorg 2030",
        spec: r#"{"trends":[]}"#,
        team_key_hash: b"team-key-hash",
    }
}

pub async fn run_all(store: &dyn ForesightStore) {
    a_session_is_found_by_id_and_join_code(store).await;
    participants_vote_and_change_their_ballot_until_close(store).await;
    sessions_do_not_see_each_others_ballots(store).await;
    the_team_edits_the_library_and_restores_defaults(store).await;
    the_presenter_reveals_results_only_from_five_ballots(store).await;
}

/// The presenter wants to show the room the results before closing. With four
/// ballots that is refused; from the fifth it is recorded with who and when,
/// and a second reveal keeps the first record.
async fn the_presenter_reveals_results_only_from_five_ballots(store: &dyn ForesightStore) {
    store
        .create_foresight_session(&new_session("fs-reveal", "REVL55"), t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ballot = r#"{"ratings":[{"trend":"1.1","importance":4,"preparedness":4}]}"#;
    let vote = |token: &'static [u8]| async move {
        assert_eq!(
            store
                .join_foresight_session("fs-reveal", token)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            JoinOutcome::Joined
        );
        assert_eq!(
            store
                .submit_foresight_ballot(token, ballot)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
            BallotOutcome::Stored
        );
    };
    for token in [&b"r1"[..], b"r2", b"r3", b"r4"] {
        vote(token).await;
    }
    let reveal = |by: &'static str, at| async move {
        store
            .reveal_foresight_session("fs-reveal", by, 5, at)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(reveal("team key", t0()).await, RevealOutcome::TooFewBallots);
    let s = store
        .foresight_session("fs-reveal")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("session"));
    assert!(s.revealed_at.is_none() && !s.results_visible());
    vote(b"r5").await;
    assert_eq!(
        reveal("team key", t0() + Duration::minutes(5)).await,
        RevealOutcome::Revealed
    );
    assert_eq!(
        reveal("agency 974760673", t0() + Duration::minutes(9)).await,
        RevealOutcome::Revealed
    );
    let s = store
        .foresight_session("fs-reveal")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("session"));
    assert_eq!(s.revealed_at, Some(t0() + Duration::minutes(5)));
    assert_eq!(s.revealed_by.as_deref(), Some("team key"));
    assert!(s.is_open() && s.results_visible());
    assert_eq!(
        store
            .reveal_foresight_session("no-such", "team key", 5, t0())
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        RevealOutcome::NoSession
    );
}

async fn a_session_is_found_by_id_and_join_code(store: &dyn ForesightStore) {
    store
        .create_foresight_session(&new_session("fs-a", "KQ7M2X"), t0())
        .await
        .unwrap_or_else(|e| panic!("the strategy team creates a session: {e}"));
    let again = store
        .create_foresight_session(&new_session("fs-b", "KQ7M2X"), t0())
        .await;
    assert!(
        matches!(again, Err(StoreError::JoinCodeTaken(ref c)) if c == "KQ7M2X"),
        "a join code belongs to one session: {again:?}"
    );
    let s = store
        .foresight_session_by_code("KQ7M2X")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the join code finds the session"));
    assert_eq!(s.id, "fs-a");
    assert_eq!(s.title, "Helse og omsorg 2030");
    assert_eq!(s.team_key_hash, b"team-key-hash");
    assert!(s.is_open());
    assert_eq!(s.created_at, t0());
    let by_id = store
        .foresight_session("fs-a")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(by_id.as_ref(), Some(&s));
    assert!(store
        .foresight_session_by_code("NOSUCH")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .is_none());
    let list = store
        .list_foresight_sessions()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(list.iter().any(|s| s.id == "fs-a"));
}

async fn participants_vote_and_change_their_ballot_until_close(store: &dyn ForesightStore) {
    store
        .create_foresight_session(&new_session("fs-vote", "VOTE42"), t0())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Kari (a clinician) and Ola (an adviser) join from their phones.
    for token in [&b"kari"[..], b"ola"] {
        let j = store
            .join_foresight_session("fs-vote", token)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(j, JoinOutcome::Joined);
    }
    assert_eq!(
        store
            .foresight_participant_session(b"kari")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .as_deref(),
        Some("fs-vote")
    );
    let counts = store
        .foresight_counts("fs-vote")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (counts.joined, counts.voted),
        (2, 0),
        "two joined, nobody voted yet"
    );

    let first = r#"{"ratings":[{"trend":"1.1","importance":5,"preparedness":3}]}"#;
    let second = r#"{"ratings":[{"trend":"1.1","importance":6,"preparedness":2}]}"#;
    assert_eq!(
        store
            .submit_foresight_ballot(b"kari", first)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        BallotOutcome::Stored
    );
    assert_eq!(
        store
            .submit_foresight_ballot(b"kari", second)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        BallotOutcome::Stored
    );
    assert_eq!(
        store
            .foresight_ballot(b"kari")
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .as_deref(),
        Some(second),
        "Kari's second ballot replaced her first"
    );
    let counts = store
        .foresight_counts("fs-vote")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (counts.joined, counts.voted),
        (2, 1),
        "a changed ballot is counted once"
    );
    assert_eq!(
        store
            .submit_foresight_ballot(b"stranger", first)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        BallotOutcome::UnknownToken
    );

    assert!(store
        .close_foresight_session("fs-vote", t0() + Duration::hours(1))
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(store
        .close_foresight_session("fs-vote", t0() + Duration::hours(2))
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(!store
        .close_foresight_session("no-such", t0())
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    let s = store
        .foresight_session("fs-vote")
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("session"));
    assert_eq!(
        s.closed_at,
        Some(t0() + Duration::hours(1)),
        "closing again keeps the first time"
    );

    assert_eq!(
        store
            .submit_foresight_ballot(b"ola", first)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        BallotOutcome::Closed,
        "Ola is too late"
    );
    assert_eq!(
        store
            .submit_foresight_ballot(b"kari", first)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        BallotOutcome::Closed,
        "Kari can no longer change her ballot"
    );
    assert_eq!(
        store
            .join_foresight_session("fs-vote", b"late")
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        JoinOutcome::Closed
    );
    assert_eq!(
        store
            .join_foresight_session("no-such", b"x")
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        JoinOutcome::Closed
    );
    let ballots = store
        .foresight_ballots("fs-vote")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ballots, vec![second.to_owned()]);
}

async fn sessions_do_not_see_each_others_ballots(store: &dyn ForesightStore) {
    for (id, code) in [("fs-x", "XXXX11"), ("fs-y", "YYYY22")] {
        store
            .create_foresight_session(&new_session(id, code), t0())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    for i in 0..7u8 {
        let token = [b'x', i];
        store
            .join_foresight_session("fs-x", &token)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        store
            .submit_foresight_ballot(&token, &format!("{{\"n\":{i}}}"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    store
        .join_foresight_session("fs-y", b"y0")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .submit_foresight_ballot(b"y0", "{}")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let x = store
        .foresight_ballots("fs-x")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(x.len(), 7);
    assert!(!x.contains(&"{}".to_owned()));
    let keyed = store
        .foresight_ballots_keyed("fs-x")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let expected: Vec<(Vec<u8>, String)> = (0..7u8)
        .map(|i| (vec![b'x', i], format!("{{\"n\":{i}}}")))
        .collect();
    assert_eq!(keyed, expected, "keyed ballots come sorted by token hash");
    let c = store
        .foresight_counts("fs-y")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((c.joined, c.voted), (1, 1));
}

async fn the_team_edits_the_library_and_restores_defaults(store: &dyn ForesightStore) {
    let none = store
        .foresight_library_items()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(none.is_empty(), "a new store has only the seeded library");
    for (kind, code, item) in [
        (LibraryKind::Trend, "1.1", r#"{"v":1}"#),
        (LibraryKind::DrivingForce, "P1", r#"{"v":2}"#),
        (LibraryKind::Trend, "1.1", r#"{"v":3}"#),
        (LibraryKind::Theme, "4", r#"{"v":4}"#),
    ] {
        store
            .put_foresight_library_item(kind, code, item, t0())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let later = t0() + Duration::minutes(5);
    store
        .put_foresight_library_item(LibraryKind::Trend, "4.1", r#"{"v":5}"#, later)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let items = store
        .foresight_library_items()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let seen: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|r| (r.kind.as_str(), r.code.as_str(), r.item.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("driving_force", "P1", r#"{"v":2}"#),
            ("theme", "4", r#"{"v":4}"#),
            ("trend", "1.1", r#"{"v":3}"#),
            ("trend", "4.1", r#"{"v":5}"#),
        ],
        "one row per kind and code, the latest edit wins"
    );
    assert_eq!(items[3].updated_at, later);
    assert!(store
        .delete_foresight_library_item(LibraryKind::Trend, "1.1")
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(!store
        .delete_foresight_library_item(LibraryKind::Trend, "1.1")
        .await
        .unwrap_or_else(|e| panic!("{e}")));
    assert!(
        "gadget".parse::<LibraryKind>().is_err(),
        "only driving forces, themes and trends"
    );
    assert_eq!(
        store
            .foresight_library_items()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .len(),
        3
    );
}
