use samlet_foresight::{BallotInput, LibraryEdit, ParticipantInput, RatingInput};
use samlet_store::SqliteStore;

use super::*;

async fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url).await.expect("open sqlite");
    (dir, store)
}

fn file(json: &str) -> SessionFile {
    SessionFile::parse(json).expect("a valid session file")
}

fn ballot(s: &Loaded, importance: i64, preparedness: i64) -> Ballot {
    let input = BallotInput {
        participant: ParticipantInput::default(),
        ratings: s
            .spec
            .trends
            .iter()
            .map(|t| RatingInput {
                trend: t.code.clone(),
                importance,
                preparedness,
            })
            .collect(),
    };
    validate_ballot(s, &input).expect("a valid ballot")
}

async fn vote(live: &LiveResults, store: &SqliteStore, s: &Loaded, i: i64, p: i64) {
    let token = join(store, s).await.expect("join");
    let hash = token_hash(&token);
    give_ballot(live, store, s, &hash, &ballot(s, i, p))
        .await
        .expect("ballot stored");
}

#[tokio::test]
async fn a_library_trend_is_copied_into_the_session_in_both_languages() {
    let (_dir, store) = store().await;
    let created = create_session(
        &store,
        file(r#"{"title": " Strategi ", "trends": [{"code": "1.1"}]}"#),
    )
    .await
    .expect("created");
    assert!(created.team_key.starts_with("fk_"));
    assert_eq!(created.join_code.len(), CODE_LEN);
    let s = load(&store, &created.id).await.expect("loaded");
    assert_eq!(s.row.title, "Strategi");
    let t = &s.spec.trends[0];
    let lib = Library::builtin().expect("library");
    let l = lib.trend("1.1").expect("seeded trend");
    assert_eq!(
        t.title_in(Lang::Nb),
        l.title.get(samlet_foresight::Lang::Nb)
    );
    assert_eq!(
        t.title_in(Lang::En),
        l.title.get(samlet_foresight::Lang::En)
    );
    assert_eq!(t.title_in(Lang::Nn), "Auka etterspurnad");
    assert_eq!(t.theme_in(Lang::Da), "Samfundet");
    assert_eq!(s.row.team_key_hash, token_hash(&created.team_key));
    // Typed codes ignore case, spaces and dashes.
    let typed = format!(
        " {}-{} ",
        &created.join_code[..3],
        created.join_code[3..].to_lowercase()
    );
    let by_code = load_by_code(&store, &typed)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(by_code.row.id, created.id);
}

#[tokio::test]
async fn a_session_file_is_refused_with_a_pointer() {
    let (_dir, store) = store().await;
    let unknown = create_session(
        &store,
        file(r#"{"title": "T", "trends": [{"code": "9.9"}]}"#),
    )
    .await;
    assert!(
        matches!(&unknown, Err(Error::Invalid { pointer, .. }) if pointer == "/trends/0/title"),
        "{unknown:?}"
    );
    let Err(Error::Invalid { pointer, .. }) =
        SessionFile::parse(r#"{"title": "T", "trends": [{"code": 5}]}"#)
    else {
        panic!("a number is not a code");
    };
    assert_eq!(pointer, "/trends/0/code");
    assert!(matches!(
        SessionFile::parse(r#"{"title": "T", "trends": [], "extra": 1}"#),
        Err(Error::Invalid { .. })
    ));
    assert!(matches!(load(&store, "nope").await, Err(Error::NoSession(id)) if id == "nope"));
}

#[tokio::test]
async fn results_are_withheld_until_revealed_from_five_ballots_or_closed() {
    let (_dir, store) = store().await;
    let live = LiveResults::default();
    let created = create_session(
        &store,
        file(r#"{"title": "T", "trends": [{"code": "1.1"}, {"code": "1.2"}]}"#),
    )
    .await
    .expect("created");
    let s = load(&store, &created.id).await.expect("loaded");
    for _ in 0..4 {
        vote(&live, &store, &s, 6, 2).await;
    }
    assert!(matches!(live.get(&store, &s).await, Err(Error::Withheld)));
    assert!(matches!(
        compute_results(&store, &s).await,
        Err(Error::Withheld)
    ));
    assert!(matches!(
        reveal(&store, &s, "team key").await,
        Err(Error::TooFewBallots)
    ));

    vote(&live, &store, &s, 6, 2).await;
    reveal(&store, &s, "team key").await.expect("revealed");
    let s = load(&store, &created.id).await.expect("reloaded");
    assert_eq!(s.row.revealed_by.as_deref(), Some("team key"));
    let r = live.get(&store, &s).await.expect("revealed results");
    assert_eq!(r.ballots, 5);
    assert_eq!(r.trends[0].gap, Some(4.0));
    assert_eq!(counts(&store, &s.row.id).await.expect("counts").voted, 5);

    assert!(close(&store, &s.row.id).await.expect("closed"));
    let s = load(&store, &created.id).await.expect("reloaded");
    assert!(matches!(join(&store, &s).await, Err(Error::Closed)));
    let r = compute_results(&store, &s).await.expect("final results");
    assert_eq!(r.ballots, 5);
}

#[tokio::test]
async fn a_ballot_must_answer_the_sessions_own_questions() {
    let (_dir, store) = store().await;
    let created = create_session(
        &store,
        file(r#"{"title": "T", "trends": [{"code": "1.1"}], "questions": {"role": ["a", "b"], "experience_years": false}}"#),
    )
    .await
    .expect("created");
    let s = load(&store, &created.id).await.expect("loaded");
    let mut input = BallotInput {
        participant: ParticipantInput {
            role: Some("c".into()),
            experience_years: None,
        },
        ratings: vec![RatingInput {
            trend: "1.1".into(),
            importance: 7,
            preparedness: 1,
        }],
    };
    let e = validate_ballot(&s, &input).expect_err("not an option");
    assert!(
        matches!(&e, Error::Invalid { pointer, message } if pointer == "/participant/role" && message == "Pick one of: a, b.")
    );
    input.participant.role = Some("a".into());
    let e = validate_ballot(&s, &input).expect_err("outside the scale");
    assert!(
        matches!(&e, Error::Invalid { message, .. } if message == "7 is outside the scale; ratings go from 1 to 6."),
        "{e:?}"
    );
    input.ratings[0].importance = 6;
    input.participant.experience_years = Some(3);
    assert!(matches!(
        validate_ballot(&s, &input),
        Err(Error::Invalid { pointer, .. }) if pointer == "/participant/experience_years"
    ));
    assert!(matches!(
        participant_session(&store, b"unknown").await,
        Err(Error::UnknownParticipant)
    ));
}

#[tokio::test]
async fn a_library_edit_is_stored_and_undone() {
    let (_dir, store) = store().await;
    let lib = effective_library(&store).await.expect("library");
    let mut t = lib.trend("1.1").cloned().expect("seeded");
    t.retired = true;
    save_edit(&store, LibraryEdit::Trend(t))
        .await
        .expect("saved");
    assert!(
        effective_library(&store)
            .await
            .expect("library")
            .trend("1.1")
            .expect("kept")
            .retired
    );
    // A retired trend is not offered for new sessions without its own title.
    let refused = create_session(
        &store,
        file(r#"{"title": "T", "trends": [{"code": "1.1"}]}"#),
    )
    .await;
    assert!(matches!(refused, Err(Error::Invalid { pointer, .. }) if pointer == "/trends/0/code"));

    reset_edit(&store, "trend", "1.1").await.expect("reset");
    assert!(
        !effective_library(&store)
            .await
            .expect("library")
            .trend("1.1")
            .expect("kept")
            .retired
    );
    assert!(matches!(
        reset_edit(&store, "trend", "1.1").await,
        Err(Error::NoEdit(code)) if code == "1.1"
    ));
}

#[test]
fn the_report_is_a_pdf() {
    let row = ForesightSession {
        id: "s".into(),
        join_code: "ABCDEF".into(),
        title: "Blindsone".into(),
        spec: serde_json::to_string(&Spec {
            trends: vec![SpecTrend {
                code: "1.1".into(),
                title: "Eldre".into(),
                theme: "Demografi".into(),
                title_en: None,
                theme_en: None,
                title_message: None,
                theme_message: None,
            }],
            thresholds: Thresholds::default(),
            questions: Questions::default(),
        })
        .expect("spec"),
        team_key_hash: Vec::new(),
        created_at: Utc::now(),
        closed_at: Some(Utc::now()),
        revealed_at: None,
        revealed_by: None,
    };
    let s = Loaded::from_row(row).expect("loaded");
    let r =
        aggregate(&s.trends, &s.spec.thresholds, &s.spec.segment_config(), &[]).expect("results");
    let pdf = report::report_pdf(Lang::Nb, &s, &r).expect("pdf");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn a_session_trend_reads_in_its_languages_and_old_specs_still_read() {
    // Stored before sessions kept the library's messages: as written.
    let old: SpecTrend = serde_json::from_str(
        r#"{"code": "1.1", "title": "Økt etterspørsel", "theme": "Samfunnet",
            "title_en": "Increasing demand", "theme_en": "Society"}"#,
    )
    .expect("old spec");
    assert_eq!(old.title_in(Lang::Nn), "Økt etterspørsel");
    assert_eq!(old.title_in(Lang::En), "Increasing demand");
    assert_eq!(old.theme_in(Lang::Da), "Samfunnet");
    let mut shipped = old.clone();
    shipped.title_message = Some("fsl-trend-1-1-title".into());
    shipped.theme_message = Some("fsl-theme-1-title".into());
    assert_eq!(shipped.title_in(Lang::Nn), "Auka etterspurnad");
    assert_eq!(shipped.title_in(Lang::Da), "Øget efterspørgsel");
    assert_eq!(shipped.theme_in(Lang::Da), "Samfundet");
    // A message a later build no longer ships falls back to the copy.
    shipped.title_message = Some("fsl-gone".into());
    assert_eq!(shipped.title_in(Lang::Nn), "Økt etterspørsel");
    assert!(!serde_json::to_string(&old)
        .expect("json")
        .contains("message"));
}
