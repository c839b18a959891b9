-- The transparency log (issue 3): a Merkle log of every access to a
-- person's data. SQLite twin of migrations/postgres/0002_access_log.sql.

-- Complete-subtree hashes of the RFC 9162 tree, level 0 = leaf hashes.
-- Immutable once written (see samlet-merkle's NodeStore).
CREATE TABLE log_nodes (
    level       INTEGER NOT NULL,
    idx         INTEGER NOT NULL,
    hash        BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;

-- The one tree head: the committed size. Appends lock this row, so there is
-- one writer even with several server replicas.
CREATE TABLE log_head (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    size        INTEGER NOT NULL
);
INSERT INTO log_head (id, size) VALUES (1, 0);

-- The details a leaf commits to: leaf data = SHA-256(salt || body). Indexed by
-- person so the citizen can list theirs. Deleted only by retention, which
-- leaves a tombstone.
CREATE TABLE log_entries (
    idx         INTEGER PRIMARY KEY,
    subject     TEXT NOT NULL,
    agency_org  TEXT NOT NULL,
    at          TEXT NOT NULL,
    salt        BLOB NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX log_entries_by_subject ON log_entries (subject, idx);
CREATE INDEX log_entries_by_at ON log_entries (at);

CREATE TABLE log_tombstones (
    idx         INTEGER PRIMARY KEY,
    expired_at  TEXT NOT NULL
);

-- Every checkpoint the server signed, so it never signs an inconsistent one.
CREATE TABLE log_checkpoints (
    size        INTEGER PRIMARY KEY,
    root        BLOB NOT NULL,
    signed      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
