//! Storage for foresight evaluations: sessions, participants who
//! joined by code, and their anonymous ballots.
//!
//! The store treats a session's spec and each ballot as opaque JSON text:
//! `samlet-foresight` validates them in the server, so this crate needs no
//! knowledge of trends or scales.
//!
//! **Architecture Invariant**: nothing that could identify a participant is
//! stored: no IP address, no user agent, no submit time. A ballot is keyed by
//! the SHA-256 of a random participant token, only so that a second ballot
//! replaces the first.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Result, UnknownValue};

/// A stored evaluation session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ForesightSession {
    pub id: String,
    pub join_code: String,
    pub title: String,
    /// Trends, thresholds and questions as JSON (see `samlet_app::foresight::Spec`).
    pub spec: String,
    #[serde(skip)]
    pub team_key_hash: Vec<u8>,
    pub created_at: DateTime<Utc>,
    /// `None` while participants can still vote.
    pub closed_at: Option<DateTime<Utc>>,
    /// When the team revealed the results of the open session (set once).
    pub revealed_at: Option<DateTime<Utc>>,
    /// Who revealed them, as the server described the caller (never a person's identity).
    pub revealed_by: Option<String>,
}

impl ForesightSession {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }

    /// Results may be shown once the session is closed or the team revealed them.
    pub fn results_visible(&self) -> bool {
        self.closed_at.is_some() || self.revealed_at.is_some()
    }
}

/// The outcome of revealing an open session's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealOutcome {
    /// Revealed now, or earlier (the first reveal's time and caller are kept).
    Revealed,
    /// Fewer ballots than the floor; nothing changed.
    TooFewBallots,
    /// There is no such session.
    NoSession,
}

/// What a new session is made of.
#[derive(Debug, Clone)]
pub struct NewForesightSession<'a> {
    pub id: &'a str,
    pub join_code: &'a str,
    pub title: &'a str,
    pub spec: &'a str,
    pub team_key_hash: &'a [u8],
}

/// The outcome of joining a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinOutcome {
    Joined,
    /// The session is closed (or does not exist).
    Closed,
}

/// The outcome of submitting a ballot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotOutcome {
    /// Stored; any earlier ballot with the same token was replaced.
    Stored,
    /// The token belongs to no participant.
    UnknownToken,
    /// The participant's session is closed; nothing was stored.
    Closed,
}

/// One of the strategy team's library edits (see migration 0007).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct LibraryItemRow {
    #[sqlx(try_from = "String")]
    pub kind: LibraryKind,
    pub code: String,
    /// The item as JSON (samlet-foresight's `LibraryEdit` content).
    pub item: String,
    pub updated_at: DateTime<Utc>,
}

/// What a library edit changes: one of the three lists of the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LibraryKind {
    DrivingForce,
    Theme,
    Trend,
}

impl LibraryKind {
    /// The column text, as samlet-foresight's `LibraryEdit::kind` names it.
    pub const fn as_str(self) -> &'static str {
        match self {
            LibraryKind::DrivingForce => "driving_force",
            LibraryKind::Theme => "theme",
            LibraryKind::Trend => "trend",
        }
    }
}

impl std::str::FromStr for LibraryKind {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, UnknownValue> {
        match s {
            "driving_force" => Ok(LibraryKind::DrivingForce),
            "theme" => Ok(LibraryKind::Theme),
            "trend" => Ok(LibraryKind::Trend),
            _ => Err(UnknownValue::new("library kind", s)),
        }
    }
}

impl TryFrom<String> for LibraryKind {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<Self, UnknownValue> {
        s.parse()
    }
}

/// Live counts for the presenter screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ForesightCounts {
    /// Participants who joined.
    pub joined: u64,
    /// Participants with a stored ballot.
    pub voted: u64,
}

#[async_trait]
pub trait ForesightStore: Send + Sync {
    /// Store a new, open session. Fails with [`crate::StoreError::JoinCodeTaken`]
    /// when another session has the join code (pick another and retry).
    async fn create_foresight_session(
        &self,
        session: &NewForesightSession<'_>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    async fn foresight_session(&self, id: &str) -> Result<Option<ForesightSession>>;
    /// Join codes are matched exactly; the server normalises case first.
    async fn foresight_session_by_code(&self, join_code: &str) -> Result<Option<ForesightSession>>;
    /// Newest first.
    async fn list_foresight_sessions(&self) -> Result<Vec<ForesightSession>>;
    /// Close the session: no more joins or ballots. False if there is no such
    /// session; closing a closed session keeps its first closing time.
    async fn close_foresight_session(&self, id: &str, now: DateTime<Utc>) -> Result<bool>;
    /// Reveal the session's results to the team: records when and by whom,
    /// atomically checking that the session holds at least `min_ballots`
    /// ballots. Revealing again keeps the first record.
    async fn reveal_foresight_session(
        &self,
        id: &str,
        revealed_by: &str,
        min_ballots: u64,
        now: DateTime<Utc>,
    ) -> Result<RevealOutcome>;
    /// Register a participant token (hashed) in an open session.
    async fn join_foresight_session(
        &self,
        session_id: &str,
        token_hash: &[u8],
    ) -> Result<JoinOutcome>;
    /// The session a participant token belongs to.
    async fn foresight_participant_session(&self, token_hash: &[u8]) -> Result<Option<String>>;
    /// Store or replace the participant's ballot, atomically checking that
    /// the session is still open.
    async fn submit_foresight_ballot(
        &self,
        token_hash: &[u8],
        ballot: &str,
    ) -> Result<BallotOutcome>;
    /// The participant's own stored ballot (to show it again for changes).
    async fn foresight_ballot(&self, token_hash: &[u8]) -> Result<Option<String>>;
    async fn foresight_counts(&self, session_id: &str) -> Result<ForesightCounts>;
    /// Every ballot of a session, in no meaningful order (sorted by token
    /// hash, which is random), so the order of voting is never revealed.
    async fn foresight_ballots(&self, session_id: &str) -> Result<Vec<String>>;
    /// Every ballot of a session with its token hash, sorted by hash: what
    /// the server's live aggregator is rebuilt from, so a later replacement
    /// can take the earlier ballot out.
    async fn foresight_ballots_keyed(&self, session_id: &str) -> Result<Vec<(Vec<u8>, String)>>;
    /// The team's library edits, by kind and code.
    async fn foresight_library_items(&self) -> Result<Vec<LibraryItemRow>>;
    /// Add or replace one library edit.
    async fn put_foresight_library_item(
        &self,
        kind: LibraryKind,
        code: &str,
        item: &str,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// Remove an edit (a seeded item returns to its default). False if none.
    async fn delete_foresight_library_item(&self, kind: LibraryKind, code: &str) -> Result<bool>;
}
