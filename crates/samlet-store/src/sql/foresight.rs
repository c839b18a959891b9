//! The rows of [`crate::ForesightStore`]; its queries are in
//! `shared/foresight.rs`.

/// A row of a foresight session.
#[derive(sqlx::FromRow)]
pub(crate) struct SessionRow {
    id: String,
    join_code: String,
    title: String,
    spec: String,
    team_key_hash: Vec<u8>,
    created_at: chrono::DateTime<chrono::Utc>,
    closed_at: Option<chrono::DateTime<chrono::Utc>>,
    revealed_at: Option<chrono::DateTime<chrono::Utc>>,
    revealed_by: Option<String>,
}

pub(crate) fn session(r: SessionRow) -> crate::ForesightSession {
    crate::ForesightSession {
        id: r.id,
        join_code: r.join_code,
        title: r.title,
        spec: r.spec,
        team_key_hash: r.team_key_hash,
        created_at: r.created_at,
        closed_at: r.closed_at,
        revealed_at: r.revealed_at,
        revealed_by: r.revealed_by,
    }
}

/// How many joined a session and how many of them voted.
#[derive(sqlx::FromRow)]
pub(crate) struct CountsRow {
    pub joined: i64,
    pub voted: i64,
}

/// A ballot with the token that cast it.
#[derive(sqlx::FromRow)]
pub(crate) struct KeyedBallotRow {
    pub token_hash: Vec<u8>,
    pub ballot: String,
}
