-- Foresight (module 8): evaluation sessions and anonymous ballots.
-- PostgreSQL twin of migrations/sqlite/0003_foresight.sql: keep them in step.
--
-- Anonymity by construction: a ballot row holds only the session, the hash of
-- the participant's random token (so a second ballot replaces the first) and
-- the ballot itself. No IP address, no user agent, no submit time.
CREATE TABLE foresight_sessions (
    id             TEXT PRIMARY KEY,
    join_code      TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    -- The session's trends, thresholds and questions as JSON; owned and
    -- validated by samlet-foresight in the server.
    spec           TEXT NOT NULL,
    team_key_hash  BYTEA NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    closed_at      TIMESTAMPTZ
);

CREATE TABLE foresight_participants (
    token_hash  BYTEA PRIMARY KEY,
    session_id  TEXT NOT NULL REFERENCES foresight_sessions(id) ON DELETE CASCADE
);
CREATE INDEX foresight_participants_session ON foresight_participants(session_id);

CREATE TABLE foresight_ballots (
    token_hash  BYTEA PRIMARY KEY REFERENCES foresight_participants(token_hash) ON DELETE CASCADE,
    session_id  TEXT NOT NULL REFERENCES foresight_sessions(id) ON DELETE CASCADE,
    ballot      TEXT NOT NULL
);
CREATE INDEX foresight_ballots_session ON foresight_ballots(session_id);
