//! Foresight in the server: evaluation sessions built from the
//! trend library, participants who join by a short code and vote
//! anonymously from their phones, and the team's presenter screen, results
//! and report. The analysis itself is the pure `samlet-foresight` crate.
//!
//! **Team access**: creating a session returns a secret *team key*
//! (`fk_…`), shown once. The API accepts it as `Authorization: Bearer fk_…`
//! for that session only; an agency token with the `samlet:foresight` scope
//! works for every session. The presenter link carries the key once in
//! `?key=`, which sets an HttpOnly, SameSite=Strict cookie scoped to that
//! session's path and redirects to a clean URL.
//!
//! **Participants**: joining returns a random participant token (`fp_…`),
//! stored only as a SHA-256 hash. On the phone it lives in an HttpOnly,
//! SameSite=Strict cookie limited to `/f/`. Every form carries a CSRF token
//! derived from the cookie it relies on ([`form_token`]), so nothing more
//! about a participant is stored.
//!
//! **Live numbers**: counts come from a COUNT query; results of an open
//! session come from an incremental aggregator in this process, fed after
//! each durable write and rebuilt from the store on start ([`live`]).
//! Closed sessions' results are computed once from the stored ballots.
//!
//! **Withheld until closed or revealed**: while a session is open nobody,
//! the team included, gets more than the counts of joined and voted, so no
//! one can diff results between two ballots to learn what one person
//! answered. The presenter may reveal the results of an open session once it
//! holds [`REVEAL_MIN_BALLOTS`] ballots: an explicit POST, stored with who and
//! when. Both ways to results ([`compute_results`] and
//! [`live::LiveResults::get`]) refuse a withheld session themselves, so no
//! page, export or command can forget the check.

use axum::http::HeaderMap;
use axum_extra::extract::cookie::CookieJar;
use base64::Engine;
use chrono::Utc;
use rand::Rng;
use samlet_foresight::{
    aggregate, Ballot, ExperienceBuckets, Library, Results, SegmentConfig, Thresholds, TrendRef,
    TrendSet, MIN_SEGMENT_SIZE, STUDY_ROLES,
};
use samlet_store::{ForesightSession, NewForesightSession, Store, StoreError};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::auth::token_hash;
use crate::problem::ApiError;
use crate::AppState;

pub mod api;
pub mod live;
pub mod pages;
pub mod pdf;
pub mod team;

pub use api::routes as api_routes;
pub use pages::routes as page_routes;
pub use team::routes as team_routes;

/// The participant's token on a phone (path `/f/`).
pub const PARTICIPANT_COOKIE: &str = "samlet_fp";
/// The team key on the presenter's browser (path `/foresight/sessions/{id}`).
pub const TEAM_COOKIE: &str = "samlet_team";
/// Join codes avoid look-alikes (0/O, 1/I/L) so they can be read off a screen.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LEN: usize = 6;
const MAX_TITLE: usize = 200;
/// The presenter can reveal an open session's results from this many ballots:
/// the same floor as a segment's, so the first results never describe fewer.
pub const REVEAL_MIN_BALLOTS: u64 = MIN_SEGMENT_SIZE;

/// The refusal for results that are withheld (see the module docs). `detail`
/// is the page's sentence on web pages, English in the API.
pub fn withheld_error(detail: impl Into<String>) -> ApiError {
    ApiError::new(
        axum::http::StatusCode::CONFLICT,
        "results-withheld",
        "Results are withheld while the session is open",
        detail,
    )
}

/// The English detail of [`withheld_error`].
pub const WITHHELD_DETAIL: &str = "The session is open: results are shown when it is closed, or when the presenter reveals them (from 5 ballots). Until then only the counts of joined and voted are available.";

/// The session file of `samlet foresight session create` and of
/// `POST /api/v1/foresight/sessions`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionFile {
    pub title: String,
    /// Trends to rate, in order. A code from the library needs nothing else.
    pub trends: Vec<TrendEntry>,
    /// Blind-spot thresholds; default importance 4.5 and preparedness 3.5.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub thresholds: Option<Thresholds>,
    /// Participant questions; default: role (the study's options) and years of experience.
    #[serde(default)]
    pub questions: Option<Questions>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrendEntry {
    pub code: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub theme: Option<String>,
}

/// What participants are asked about themselves, besides the ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Questions {
    /// Answer options for role (keys); `null` does not ask. The study's keys
    /// (managing_director, director, adviser, clinician, other) get labels in
    /// bokmål and English; other keys are shown as written.
    #[serde(default = "study_roles")]
    pub role: Option<Vec<String>>,
    /// Ask for years of experience.
    #[serde(default = "yes")]
    pub experience_years: bool,
}

fn study_roles() -> Option<Vec<String>> {
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

/// A trend in a session; English titles are kept when it came from the library.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SpecTrend {
    pub code: String,
    pub title: String,
    pub theme: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theme_en: Option<String>,
}

impl SpecTrend {
    pub fn title_in(&self, lang: crate::i18n::Lang) -> &str {
        match (lang, &self.title_en) {
            (crate::i18n::Lang::En, Some(t)) => t,
            _ => &self.title,
        }
    }

    pub fn theme_in(&self, lang: crate::i18n::Lang) -> &str {
        match (lang, &self.theme_en) {
            (crate::i18n::Lang::En, Some(t)) => t,
            _ => &self.theme,
        }
    }
}

/// A session file that cannot become a session; `pointer` is RFC 6901 into the file.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{pointer}: {message}")]
pub struct SpecError {
    pub pointer: String,
    pub message: String,
}

fn spec_err(pointer: impl Into<String>, message: impl Into<String>) -> SpecError {
    SpecError {
        pointer: pointer.into(),
        message: message.into(),
    }
}

impl From<SpecError> for ApiError {
    fn from(e: SpecError) -> Self {
        ApiError::invalid(e.pointer, e.message)
    }
}

impl SessionFile {
    /// Parse JSON text, with a pointer to the offending field.
    pub fn parse(json: &str) -> Result<Self, SpecError> {
        crate::extract::parse_json(json.as_bytes())
            .map_err(|e| spec_err(e.pointer.unwrap_or_default(), e.detail))
    }

    /// Check the file and fill library trends' titles and themes.
    pub fn into_spec(self, library: &Library) -> Result<(String, Spec), SpecError> {
        use samlet_foresight::Lang as FL;
        let title = self.title.trim().to_owned();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            return Err(spec_err(
                "/title",
                format!("give the session a title of 1 to {MAX_TITLE} characters"),
            ));
        }
        if self.trends.is_empty() {
            return Err(spec_err("/trends", "a session needs at least one trend"));
        }
        let mut trends = Vec::with_capacity(self.trends.len());
        for (i, t) in self.trends.into_iter().enumerate() {
            let code = t.code.trim().to_owned();
            let lib = library.trend(&code);
            if lib.is_some_and(|l| l.retired) && t.title.is_none() {
                return Err(spec_err(
                    format!("/trends/{i}/code"),
                    format!("trend {code:?} is retired from the library: reinstate it, or give its title and theme here"),
                ));
            }
            let lib_theme = lib.and_then(|l| library.theme(&l.theme));
            let (title, title_en) = match (t.title, lib) {
                (Some(own), _) => (own.trim().to_owned(), None),
                (None, Some(l)) => (
                    l.title.get(FL::Nb).to_owned(),
                    Some(l.title.get(FL::En).to_owned()),
                ),
                (None, None) => {
                    return Err(spec_err(
                        format!("/trends/{i}/title"),
                        format!(
                            "trend {code:?} is not in the library: give it a title and a theme"
                        ),
                    ))
                }
            };
            let (theme, theme_en) = match (t.theme, lib_theme) {
                (Some(own), _) => (own.trim().to_owned(), None),
                (None, Some(th)) => (
                    th.title.get(FL::Nb).to_owned(),
                    Some(th.title.get(FL::En).to_owned()),
                ),
                (None, None) => {
                    return Err(spec_err(
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
            });
        }
        let questions = self.questions.unwrap_or_default();
        if let Some(roles) = &questions.role {
            if roles.is_empty() {
                return Err(spec_err(
                    "/questions/role",
                    "give at least one role option, or null to not ask",
                ));
            }
            for (i, r) in roles.iter().enumerate() {
                if r.trim().is_empty() || r.chars().count() > 64 || r.chars().any(char::is_control)
                {
                    return Err(spec_err(
                        format!("/questions/role/{i}"),
                        "a role option is 1 to 64 printable characters",
                    ));
                }
                if roles[..i].contains(r) {
                    return Err(spec_err(
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
        spec.trend_set().map_err(|e| spec_err("/trends", e))?;
        Ok((title, spec))
    }
}

impl Spec {
    pub fn trend_set(&self) -> Result<TrendSet, String> {
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
pub fn role_label(key: &str, lang: crate::i18n::Lang) -> String {
    if STUDY_ROLES.contains(&key) {
        lang.t(&format!("fs-role-{key}")).to_owned()
    } else {
        key.to_owned()
    }
}

/// What `session create` returns. The team key is shown only here.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: String,
    pub join_code: String,
    /// Secret: the team's key for the presenter screen and results.
    pub team_key: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("{0}")]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the built-in library is invalid: {0}")]
    Library(String),
}

impl From<CreateError> for ApiError {
    fn from(e: CreateError) -> Self {
        match e {
            CreateError::Spec(s) => s.into(),
            CreateError::Store(s) => s.into(),
            CreateError::Library(s) => ApiError::internal(s),
        }
    }
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

/// Create a session (used by the CLI, the API and the team's page). Library
/// trends are copied into the session's spec (titles and themes in both
/// languages), so later edits of the library never change what was rated.
pub async fn create_session(store: &dyn Store, file: SessionFile) -> Result<Created, CreateError> {
    let library = team::effective_library(store)
        .await
        .map_err(|e| CreateError::Library(e.detail))?;
    let (title, spec) = file.into_spec(&library)?;
    let spec_json =
        serde_json::to_string(&spec).map_err(|e| CreateError::Library(e.to_string()))?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let team_key = crate::auth::random_token("fk_");
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
    pub fn from_row(row: ForesightSession) -> Result<Self, ApiError> {
        let spec: Spec = serde_json::from_str(&row.spec)
            .map_err(|e| ApiError::internal(format!("stored foresight spec: {e}")))?;
        let trends = spec.trend_set().map_err(ApiError::internal)?;
        Ok(Self { row, spec, trends })
    }
}

pub async fn load(store: &dyn Store, id: &str) -> Result<Loaded, ApiError> {
    let row = store
        .foresight_session(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("There is no evaluation session {id}.")))?;
    Loaded::from_row(row)
}

pub async fn load_by_code(store: &dyn Store, typed: &str) -> Result<Option<Loaded>, ApiError> {
    let code = normalise_code(typed);
    if code.is_empty() || code.len() > 16 {
        return Ok(None);
    }
    match store.foresight_session_by_code(&code).await? {
        Some(row) => Loaded::from_row(row).map(Some),
        None => Ok(None),
    }
}

/// Recompute a session's results from the stored ballots; refused while they
/// are withheld (open and not revealed).
pub async fn compute_results(store: &dyn Store, s: &Loaded) -> Result<Results, ApiError> {
    if !s.row.results_visible() {
        return Err(withheld_error(WITHHELD_DETAIL));
    }
    let stored = store.foresight_ballots(&s.row.id).await?;
    let mut ballots = Vec::with_capacity(stored.len());
    for text in &stored {
        ballots.push(
            Ballot::from_json(text, &s.trends)
                .map_err(|e| ApiError::internal(format!("stored ballot: {e}")))?,
        );
    }
    aggregate(
        &s.trends,
        &s.spec.thresholds,
        &s.spec.segment_config(),
        &ballots,
    )
    .map_err(ApiError::internal)
}

/// A short-lived random cookie for forms shown before there is any other
/// secret (joining a session, the team's sign-in): the form echoes a token
/// derived from it (double submit).
pub const FORM_COOKIE: &str = "samlet_fform";

/// The CSRF token of a form, derived from a secret the browser holds in an
/// HttpOnly cookie (participant token, team key, form cookie) and the
/// server's secret. A page on another site can make the browser send the
/// cookie but can neither read it nor compute this, and nothing is stored, so
/// ballots stay anonymous. `purpose` keeps one form's token from working on another.
pub fn form_token(server_secret: &[u8], purpose: &str, cookie_secret: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(b"samlet-foresight-form\0");
    h.update(server_secret);
    h.update(b"\0");
    h.update(purpose.as_bytes());
    h.update(b"\0");
    h.update(cookie_secret.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(h.finalize())
}

/// Check a submitted form token against the cookie's secret, in constant time.
pub fn check_form_token(
    state: &AppState,
    purpose: &str,
    cookie_secret: Option<&str>,
    submitted: Option<&str>,
) -> Result<(), ApiError> {
    let ok = match (cookie_secret, submitted) {
        (Some(c), Some(s)) => ct_eq(
            form_token(state.config.secret.expose_secret(), purpose, c).as_bytes(),
            s.as_bytes(),
        ),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(csrf_error())
    }
}

pub fn csrf_error() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::FORBIDDEN,
        "csrf",
        "The form has expired",
        "Reload the page and try again (this form only works from the page Samlet showed you).",
    )
    .at("/csrf")
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.ct_eq(b))
}

pub(crate) use crate::auth::bearer;

/// Is the caller the session's team? A team key (bearer or cookie) for this
/// session, or an agency token with the scope `samlet:foresight`.
pub async fn require_team(
    state: &AppState,
    headers: &HeaderMap,
    s: &ForesightSession,
) -> Result<(), ApiError> {
    if let Some(token) = bearer(headers) {
        if token.starts_with("fk_") {
            return if ct_eq(&token_hash(token), &s.team_key_hash) {
                Ok(())
            } else {
                Err(ApiError::forbidden(
                    "This team key belongs to another session.",
                ))
            };
        }
        return require_agency_scope(state, token).await;
    }
    let jar = CookieJar::from_headers(headers);
    if let Some(c) = jar.get(TEAM_COOKIE) {
        if ct_eq(&token_hash(c.value()), &s.team_key_hash) {
            return Ok(());
        }
    }
    Err(ApiError::unauthorized(
        "This is for the strategy team: open the presenter link printed by `samlet foresight session create`, or send the team key as `Authorization: Bearer fk_…`.",
    ))
}

/// [`require_team`], then who the caller is in words for the session's record:
/// "team key" or the agency's organisation number (never a person).
pub async fn team_actor(
    state: &AppState,
    headers: &HeaderMap,
    s: &ForesightSession,
) -> Result<String, ApiError> {
    require_team(state, headers, s).await?;
    match bearer(headers) {
        Some(token) if !token.starts_with("fk_") => {
            let auth = crate::auth::agency_from_token(state, token).await?;
            Ok(format!("agency {}", auth.agency.org.as_str()))
        }
        _ => Ok("team key".into()),
    }
}

/// An agency token (checked by the one bearer-token check every API uses)
/// whose agency holds and was granted `samlet:foresight`.
pub async fn require_agency_scope(state: &AppState, token: &str) -> Result<(), ApiError> {
    Ok(crate::auth::agency_from_token(state, token)
        .await?
        .require(samlet_domain::Scope::Foresight)?)
}

/// The address participants open; the QR code encodes it.
pub fn join_url(state: &AppState, code: &str) -> String {
    format!("{}/f/{code}", state.config.public_url.trim_end_matches('/'))
}

/// The QR code as a `data:` URL of an SVG (the CSP allows `img-src data:`).
pub fn qr_data_url(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(280, 280)
        .quiet_zone(true)
        .build();
    Some(format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    ))
}

/// Check a ballot against the session: the library's checks (known trends,
/// none twice, 1–6) plus the session's questions (a role must be one of the
/// options, so free text never reaches storage).
pub fn validate_ballot(
    s: &Loaded,
    input: &samlet_foresight::BallotInput,
) -> Result<Ballot, ApiError> {
    let role = input
        .participant
        .role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    match (&s.spec.questions.role, role) {
        (None, Some(_)) => {
            return Err(ApiError::invalid(
                "/participant/role",
                "This session does not ask for a role; leave it out.",
            ))
        }
        (Some(options), Some(r)) if !options.iter().any(|o| o == r) => {
            return Err(ApiError::invalid(
                "/participant/role",
                format!("Pick one of: {}.", options.join(", ")),
            ))
        }
        _ => {}
    }
    if !s.spec.questions.experience_years && input.participant.experience_years.is_some() {
        return Err(ApiError::invalid(
            "/participant/experience_years",
            "This session does not ask for years of experience; leave it out.",
        ));
    }
    input.validate(&s.trends).map_err(ballot_error)
}

fn ballot_error(e: samlet_foresight::BallotError) -> ApiError {
    use samlet_foresight::BallotError as B;
    let pointer = match &e {
        B::UnknownTrend { pointer, .. }
        | B::DuplicateTrend { pointer, .. }
        | B::OutOfRange { pointer, .. }
        | B::InvalidParticipant { pointer, .. } => pointer.clone(),
        B::Json(_) => String::new(),
    };
    let text = e.to_string();
    // The library's message starts with the pointer; the problem has its own field for that.
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
    ApiError::invalid(pointer, detail)
}
