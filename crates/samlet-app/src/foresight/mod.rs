//! Foresight: evaluation sessions built from the trend library,
//! participants who join by a short code and rate anonymously, live
//! tallies, and the team's results and report. The analysis itself is the
//! pure `samlet-foresight` crate; how teams and participants prove who they
//! are (keys, cookies, CSRF) is the server's.
//!
//! **Participants** are known only by a random token (`fp_…`) stored as a
//! SHA-256 hash; the team by a secret key (`fk_…`) shown once at creation
//! and stored as a hash.
//!
//! **Live numbers**: results of an open session come from an incremental
//! aggregator in this process, fed after each durable write and rebuilt
//! from the store on start ([`live`]). Closed sessions' results are
//! computed once from the stored ballots.
//!
//! **Withheld until closed or revealed**: while a session is open nobody,
//! the team included, gets more than the counts of joined and voted, so no
//! one can diff results between two ballots to learn what one person
//! answered. The presenter may reveal the results of an open session once it
//! holds [`REVEAL_MIN_BALLOTS`] ballots, recorded with who and when. Both
//! ways to results ([`compute_results`] and [`live::LiveResults::get`])
//! refuse a withheld session themselves, so no page, export or command can
//! forget the check.

use chrono::Utc;
use rand::Rng;
use samlet_foresight::{
    aggregate, Ballot, BallotInput, ExperienceBuckets, Library, Results, SegmentConfig, Thresholds,
    TrendRef, TrendSet, MIN_SEGMENT_SIZE, STUDY_ROLES,
};
use samlet_i18n::Lang;
use samlet_store::{
    ForesightCounts, ForesightSession, ForesightStore, JoinOutcome, NewForesightSession,
    RevealOutcome, StoreError,
};
use serde::{Deserialize, Serialize};

use crate::auth::{random_token, token_hash};

pub mod library;
pub mod live;
pub mod report;

pub use library::{effective_library, reset_edit, save_edit};
pub use live::LiveResults;

/// Join codes avoid look-alikes (0/O, 1/I/L) so they can be read off a screen.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 6;
const MAX_TITLE: usize = 200;
/// The presenter can reveal an open session's results from this many ballots:
/// the same floor as a segment's, so the first results never describe fewer.
pub const REVEAL_MIN_BALLOTS: u64 = MIN_SEGMENT_SIZE;

/// The English sentence for withheld results.
pub const WITHHELD_DETAIL: &str = "The session is open: results are shown when it is closed, or when the presenter reveals them (from 5 ballots). Until then only the counts of joined and voted are available.";

/// The English sentence for a reveal refused for too few ballots.
pub const TOO_FEW_DETAIL: &str =
    "Results can be revealed from 5 ballots, so they never describe fewer people.";

/// What a foresight use case can refuse; each message is the English
/// sentence the API shows.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("There is no evaluation session {0}.")]
    NoSession(String),
    /// Input that cannot be used; `pointer` is RFC 6901 into it.
    #[error("{pointer}: {message}")]
    Invalid { pointer: String, message: String },
    /// The session is open and its results are not revealed.
    #[error("{WITHHELD_DETAIL}")]
    Withheld,
    /// A reveal with fewer than [`REVEAL_MIN_BALLOTS`] ballots.
    #[error("{TOO_FEW_DETAIL}")]
    TooFewBallots,
    #[error("The session is closed: ballots can no longer be given or changed.")]
    Closed,
    #[error("The participant token is unknown; join the session first.")]
    UnknownParticipant,
    /// An added theme cannot go while trends use it.
    #[error("Theme {0} still has trends; move or remove them first.")]
    ThemeHasTrends(String),
    /// There is no team edit of this library item to remove.
    #[error(
        "The team has not added or changed {0}; a seeded item cannot be deleted, only retired."
    )]
    NoEdit(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Stored data or the built-in library is inconsistent: a defect, not the caller's fault.
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Error {
    Error::Invalid {
        pointer: pointer.into(),
        message: message.into(),
    }
}

fn internal(e: impl std::fmt::Display) -> Error {
    Error::Internal(e.to_string())
}

/// What a session is made from: the file of `samlet foresight session
/// create` (read with [`SessionFile::parse`]) and, through the server's API
/// type of the same shape, the body of `POST /api/v1/foresight/sessions`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionFile {
    pub title: String,
    /// Trends to rate, in order. A code from the library needs nothing else.
    pub trends: Vec<TrendEntry>,
    /// Blind-spot thresholds; default importance 4.5 and preparedness 3.5.
    #[serde(default)]
    pub thresholds: Option<Thresholds>,
    /// Participant questions; default: role (the study's options) and years of experience.
    #[serde(default)]
    pub questions: Option<Questions>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrendEntry {
    pub code: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
}

/// What participants are asked about themselves, besides the ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questions {
    /// Answer options for role (keys); `None` does not ask. The study's keys
    /// get translated labels ([`role_label`]); other keys are shown as written.
    #[serde(default = "study_roles")]
    pub role: Option<Vec<String>>,
    /// Ask for years of experience.
    #[serde(default = "yes")]
    pub experience_years: bool,
}

/// The study's role options.
pub fn study_roles() -> Option<Vec<String>> {
    Some(STUDY_ROLES.iter().map(|k| (*k).to_owned()).collect())
}

fn yes() -> bool {
    true
}

impl Default for Questions {
    fn default() -> Self {
        Self {
            role: study_roles(),
            experience_years: true,
        }
    }
}

/// A session's stored spec (the `spec` column).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Spec {
    pub trends: Vec<SpecTrend>,
    pub thresholds: Thresholds,
    pub questions: Questions,
}

/// A trend in a session; English titles are kept when it came from the
/// library, and the library's messages when its texts were the shipped ones.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SpecTrend {
    pub code: String,
    pub title: String,
    pub theme: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_en: Option<String>,
    /// The shipped title's Fluent message, so nynorsk and Danish readers
    /// read it in their language; none for a title the team wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_message: Option<String>,
    /// The shipped theme title's Fluent message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_message: Option<String>,
}

/// A stored text in `lang`: the message if the session has one that this
/// build still ships, else the English copy or the Norwegian original.
fn text_in<'a>(lang: Lang, message: Option<&str>, nb: &'a str, en: Option<&'a str>) -> &'a str {
    match (message.filter(|id| lang.has(id)), lang, en) {
        (Some(id), _, _) => lang.t(id),
        (None, Lang::En, Some(en)) => en,
        _ => nb,
    }
}

impl SpecTrend {
    pub fn title_in(&self, lang: Lang) -> &str {
        let (message, en) = (self.title_message.as_deref(), self.title_en.as_deref());
        text_in(lang, message, &self.title, en)
    }

    pub fn theme_in(&self, lang: Lang) -> &str {
        let (message, en) = (self.theme_message.as_deref(), self.theme_en.as_deref());
        text_in(lang, message, &self.theme, en)
    }
}

impl SessionFile {
    /// Parse JSON text, with a pointer to the offending field.
    pub fn parse(json: &str) -> Result<Self> {
        let de = &mut serde_json::Deserializer::from_str(json);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let pointer: String = e
                .path()
                .iter()
                .filter_map(|seg| match seg {
                    serde_path_to_error::Segment::Seq { index } => Some(format!("/{index}")),
                    serde_path_to_error::Segment::Map { key } => {
                        Some(format!("/{}", key.replace('~', "~0").replace('/', "~1")))
                    }
                    serde_path_to_error::Segment::Enum { variant } => Some(format!("/{variant}")),
                    serde_path_to_error::Segment::Unknown => None,
                })
                .collect();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return invalid(
                    "",
                    format!(
                        "JSON syntax error at line {}, column {}.",
                        inner.line(),
                        inner.column()
                    ),
                );
            }
            let msg = inner.to_string();
            // serde appends " at line X column Y": keep the message, drop the position noise.
            let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
            invalid(pointer, msg)
        })
    }

    /// Check the file and fill library trends' titles and themes.
    pub fn into_spec(self, library: &Library) -> Result<(String, Spec)> {
        use samlet_foresight::Lang as FL;
        let title = self.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(invalid(
                "/title",
                format!("give the session a title of 1 to {MAX_TITLE} characters"),
            ));
        }
        if self.trends.is_empty() {
            return Err(invalid("/trends", "a session needs at least one trend"));
        }
        let mut trends = Vec::with_capacity(self.trends.len());
        for (i, t) in self.trends.into_iter().enumerate() {
            let code = t.code.trim().to_owned();
            let lib = library.trend(&code);
            if lib.is_some_and(|l| l.retired) && t.title.is_none() {
                return Err(invalid(
                    format!("/trends/{i}/code"),
                    format!("trend {code:?} is retired from the library: reinstate it, or give its title and theme here"),
                ));
            }
            let lib_theme = lib.and_then(|l| library.theme(&l.theme));
            let (title, title_en, title_message) = match (t.title, lib) {
                (Some(own), _) => (own.trim().to_owned(), None, None),
                (None, Some(l)) => (
                    l.title.get(FL::Nb).to_owned(),
                    Some(l.title.get(FL::En).to_owned()),
                    l.title.message.clone(),
                ),
                (None, None) => {
                    return Err(invalid(
                        format!("/trends/{i}/title"),
                        format!(
                            "trend {code:?} is not in the library: give it a title and a theme"
                        ),
                    ))
                }
            };
            let (theme, theme_en, theme_message) = match (t.theme, lib_theme) {
                (Some(own), _) => (own.trim().to_owned(), None, None),
                (None, Some(th)) => (
                    th.title.get(FL::Nb).to_owned(),
                    Some(th.title.get(FL::En).to_owned()),
                    th.title.message.clone(),
                ),
                (None, None) => {
                    return Err(invalid(
                        format!("/trends/{i}/theme"),
                        format!("trend {code:?} is not in the library: give it a theme"),
                    ))
                }
            };
            trends.push(SpecTrend {
                code,
                title,
                theme,
                title_en,
                theme_en,
                title_message,
                theme_message,
            });
        }
        let questions = self.questions.unwrap_or_default();
        if let Some(roles) = &questions.role {
            if roles.is_empty() {
                return Err(invalid(
                    "/questions/role",
                    "give at least one role option, or null to not ask",
                ));
            }
            for (i, r) in roles.iter().enumerate() {
                if r.trim().is_empty() || r.chars().count() > 64 || r.chars().any(char::is_control)
                {
                    return Err(invalid(
                        format!("/questions/role/{i}"),
                        "a role option is 1 to 64 printable characters",
                    ));
                }
                if roles[..i].contains(r) {
                    return Err(invalid(
                        format!("/questions/role/{i}"),
                        "the role option is repeated",
                    ));
                }
            }
        }
        let spec = Spec {
            trends,
            thresholds: self.thresholds.unwrap_or_default(),
            questions,
        };
        // The library crate's own validation (unique, sane codes and titles).
        spec.trend_set().map_err(|e| invalid("/trends", e))?;
        Ok((title, spec))
    }
}

impl Spec {
    pub fn trend_set(&self) -> std::result::Result<TrendSet, String> {
        TrendSet::new(
            self.trends
                .iter()
                .map(|t| TrendRef::new(&t.code, &t.title, &t.theme))
                .collect(),
        )
        .map_err(|e| e.to_string())
    }

    /// Only the session's fixed role options form segments, never free text.
    pub fn segment_config(&self) -> SegmentConfig {
        let roles = self.questions.role.clone().or_else(study_roles);
        SegmentConfig::new(ExperienceBuckets::default(), MIN_SEGMENT_SIZE, roles)
            .unwrap_or_default()
    }
}

/// The label of a role option in a language; a team's own role is shown as written.
pub fn role_label(key: &str, lang: Lang) -> String {
    if STUDY_ROLES.contains(&key) {
        lang.t(&format!("fs-role-{key}")).to_owned()
    } else {
        key.to_owned()
    }
}

/// A new session. The team key is shown only here.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub join_code: String,
    /// Secret: the team's key for the presenter screen and results.
    pub team_key: String,
}

fn join_code() -> String {
    let mut rng = rand::thread_rng();
    (0..CODE_LEN)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

/// Normalise what a person typed: case, spaces and dashes do not matter.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Create a session (the CLI, the API and the team's page). Library trends
/// are copied into the session's spec (titles and themes in both
/// languages), so later edits of the library never change what was rated.
pub async fn create_session<S: ForesightStore + ?Sized>(
    store: &S,
    file: SessionFile,
) -> Result<Created> {
    let library = effective_library(store)
        .await
        .map_err(|e| Error::Internal(format!("the library cannot be read: {e}")))?;
    let (title, spec) = file.into_spec(&library)?;
    let spec_json = serde_json::to_string(&spec).map_err(internal)?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let team_key = random_token("fk_");
    let hash = token_hash(&team_key);
    // A collision of 6-character codes is rare but possible: try again.
    let mut attempts = 0;
    loop {
        let code = join_code();
        let res = store
            .create_foresight_session(
                &NewForesightSession {
                    id: &id,
                    join_code: &code,
                    title: &title,
                    spec: &spec_json,
                    team_key_hash: &hash,
                },
                Utc::now(),
            )
            .await;
        match res {
            Ok(()) => {
                return Ok(Created {
                    id,
                    join_code: code,
                    team_key,
                })
            }
            Err(StoreError::JoinCodeTaken(_)) if attempts < 8 => attempts += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

/// A stored session with its parsed spec.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub row: ForesightSession,
    pub spec: Spec,
    pub trends: TrendSet,
}

impl Loaded {
    pub fn from_row(row: ForesightSession) -> Result<Self> {
        let spec: Spec = serde_json::from_str(&row.spec)
            .map_err(|e| internal(format!("stored foresight spec: {e}")))?;
        let trends = spec.trend_set().map_err(internal)?;
        Ok(Self { row, spec, trends })
    }
}

/// The session `id`, or [`Error::NoSession`].
pub async fn load<S: ForesightStore + ?Sized>(store: &S, id: &str) -> Result<Loaded> {
    let row = store
        .foresight_session(id)
        .await?
        .ok_or_else(|| Error::NoSession(id.to_owned()))?;
    Loaded::from_row(row)
}

/// The session a typed join code names, if any.
pub async fn load_by_code<S: ForesightStore + ?Sized>(
    store: &S,
    typed: &str,
) -> Result<Option<Loaded>> {
    let code = normalise_code(typed);
    if code.is_empty() || code.len() > 16 {
        return Ok(None);
    }
    match store.foresight_session_by_code(&code).await? {
        Some(row) => Loaded::from_row(row).map(Some),
        None => Ok(None),
    }
}

/// How many joined and voted in the session `id`.
pub async fn counts<S: ForesightStore + ?Sized>(store: &S, id: &str) -> Result<ForesightCounts> {
    Ok(store.foresight_counts(id).await?)
}

/// Every session, newest first.
pub async fn sessions<S: ForesightStore + ?Sized>(store: &S) -> Result<Vec<ForesightSession>> {
    Ok(store.list_foresight_sessions().await?)
}

/// Recompute a session's results from the stored ballots; refused while they
/// are withheld (open and not revealed).
pub async fn compute_results<S: ForesightStore + ?Sized>(store: &S, s: &Loaded) -> Result<Results> {
    if !s.row.results_visible() {
        return Err(Error::Withheld);
    }
    let stored = store.foresight_ballots(&s.row.id).await?;
    let mut ballots = Vec::with_capacity(stored.len());
    for text in &stored {
        ballots.push(
            Ballot::from_json(text, &s.trends)
                .map_err(|e| internal(format!("stored ballot: {e}")))?,
        );
    }
    aggregate(
        &s.trends,
        &s.spec.thresholds,
        &s.spec.segment_config(),
        &ballots,
    )
    .map_err(internal)
}

/// Join an open session: a new participant token, stored only as its hash.
pub async fn join<S: ForesightStore + ?Sized>(store: &S, s: &Loaded) -> Result<String> {
    if !s.row.is_open() {
        return Err(Error::Closed);
    }
    let token = random_token("fp_");
    match store
        .join_foresight_session(&s.row.id, &token_hash(&token))
        .await?
    {
        JoinOutcome::Joined => Ok(token),
        JoinOutcome::Closed => Err(Error::Closed),
    }
}

/// The session a participant's token (hash) belongs to.
pub async fn participant_session<S: ForesightStore + ?Sized>(
    store: &S,
    token_hash: &[u8],
) -> Result<String> {
    store
        .foresight_participant_session(token_hash)
        .await?
        .ok_or(Error::UnknownParticipant)
}

/// The participant's own stored ballot (JSON), to show it again for changes.
pub async fn own_ballot<S: ForesightStore + ?Sized>(
    store: &S,
    token_hash: &[u8],
) -> Result<Option<String>> {
    Ok(store.foresight_ballot(token_hash).await?)
}

/// Store a checked ballot (replacing the participant's earlier one) and count it live.
pub async fn give_ballot<S: ForesightStore + ?Sized>(
    live: &LiveResults,
    store: &S,
    s: &Loaded,
    token_hash: &[u8],
    ballot: &Ballot,
) -> Result<()> {
    use samlet_store::BallotOutcome;
    match live.submit(store, s, token_hash, ballot).await? {
        // No metric counts ballots: scraped over time it would show when
        // each one arrived, which the ballot rows themselves never record.
        BallotOutcome::Stored => Ok(()),
        BallotOutcome::Closed => Err(Error::Closed),
        BallotOutcome::UnknownToken => Err(Error::UnknownParticipant),
    }
}

/// Reveal an open session's results to the team, recorded with `who`
/// ("team key" or "agency <org>", never a person).
pub async fn reveal<S: ForesightStore + ?Sized>(store: &S, s: &Loaded, who: &str) -> Result<()> {
    match store
        .reveal_foresight_session(&s.row.id, who, REVEAL_MIN_BALLOTS, Utc::now())
        .await?
    {
        RevealOutcome::Revealed => {
            if s.row.revealed_at.is_none() {
                tracing::info!(session = %s.row.id, by = who, "foresight results revealed");
            }
            Ok(())
        }
        RevealOutcome::TooFewBallots => Err(Error::TooFewBallots),
        RevealOutcome::NoSession => Err(Error::NoSession(s.row.id.clone())),
    }
}

/// Close a session: no more joins or ballots. False if there is no such session.
pub async fn close<S: ForesightStore + ?Sized>(store: &S, id: &str) -> Result<bool> {
    Ok(store.close_foresight_session(id, Utc::now()).await?)
}

/// Check a ballot against the session: the library's checks (known trends,
/// none twice, 1–6) plus the session's questions (a role must be one of the
/// options, so free text never reaches storage).
pub fn validate_ballot(s: &Loaded, input: &BallotInput) -> Result<Ballot> {
    let role = input
        .participant
        .role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    match (&s.spec.questions.role, role) {
        (None, Some(_)) => {
            return Err(invalid(
                "/participant/role",
                "This session does not ask for a role; leave it out.",
            ))
        }
        (Some(options), Some(r)) if !options.iter().any(|o| o == r) => {
            return Err(invalid(
                "/participant/role",
                format!("Pick one of: {}.", options.join(", ")),
            ))
        }
        _ => {}
    }
    if !s.spec.questions.experience_years && input.participant.experience_years.is_some() {
        return Err(invalid(
            "/participant/experience_years",
            "This session does not ask for years of experience; leave it out.",
        ));
    }
    input.validate(&s.trends).map_err(ballot_error)
}

fn ballot_error(e: samlet_foresight::BallotError) -> Error {
    use samlet_foresight::BallotError as B;
    let pointer = match &e {
        B::UnknownTrend { pointer, .. }
        | B::DuplicateTrend { pointer, .. }
        | B::OutOfRange { pointer, .. }
        | B::InvalidParticipant { pointer, .. } => pointer.clone(),
        B::Json(_) => String::new(),
    };
    let text = e.to_string();
    // The library's message starts with the pointer; the error has its own field for that.
    let detail = text
        .strip_prefix(&format!("{pointer}: "))
        .unwrap_or(&text)
        .to_owned();
    let detail = match &e {
        B::UnknownTrend { code, .. } => format!("This session has no trend {code:?}."),
        B::DuplicateTrend { code, .. } => {
            format!("Trend {code:?} is rated more than once; rate each trend once.")
        }
        B::OutOfRange { value, .. } => {
            format!("{value} is outside the scale; ratings go from 1 to 6.")
        }
        _ => detail,
    };
    invalid(pointer, detail)
}

#[cfg(test)]
mod tests;
