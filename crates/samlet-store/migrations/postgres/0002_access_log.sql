-- The transparency log (issue 3): a Merkle log of every access to a
-- person's data. PostgreSQL twin of migrations/sqlite/0002_access_log.sql.

-- Complete-subtree hashes of the RFC 9162 tree, level 0 = leaf hashes.
-- Immutable once written (see samlet-merkle's NodeStore).
CREATE TABLE log_nodes (
    level       SMALLINT NOT NULL,
    idx         BIGINT NOT NULL,
    hash        BYTEA NOT NULL,
    PRIMARY KEY (level, idx)
);

-- The one tree head: the committed size. Appends lock this row
-- (SELECT ... FOR UPDATE), so there is one writer across replicas.
CREATE TABLE log_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    size        BIGINT NOT NULL
);
INSERT INTO log_head (id, size) VALUES (1, 0);

-- The details a leaf commits to: leaf data = SHA-256(salt || body). Indexed by
-- person so the citizen can list theirs. Deleted only by retention, which
-- leaves a tombstone.
CREATE TABLE log_entries (
    idx         BIGINT PRIMARY KEY,
    subject     TEXT NOT NULL,
    agency_org  TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    salt        BYTEA NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX log_entries_by_subject ON log_entries (subject, idx);
CREATE INDEX log_entries_by_at ON log_entries (at);

CREATE TABLE log_tombstones (
    idx         BIGINT PRIMARY KEY,
    expired_at  TIMESTAMPTZ NOT NULL
);

-- Every checkpoint the server signed, so it never signs an inconsistent one.
CREATE TABLE log_checkpoints (
    size        BIGINT PRIMARY KEY,
    root        BYTEA NOT NULL,
    signed      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
