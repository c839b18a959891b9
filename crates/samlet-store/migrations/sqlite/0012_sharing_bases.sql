-- Registered sharing bases: "agency B (reader) may read category C held by agency A (holder), for
-- purpose P, under legal basis L, from/to", created by the operator and accepted by the holder.
-- The store keeps facts; whether a basis lets a read through is decided by samlet-access.
-- SQLite twin of migrations/postgres/0012_sharing_bases.sql: keep them in step.
CREATE TABLE sharing_bases (
    id              TEXT PRIMARY KEY,
    reader_org      TEXT NOT NULL,
    holder_org      TEXT NOT NULL,
    category        TEXT NOT NULL CHECK (category IN ('cases', 'deadlines', 'benefits', 'messages')),
    purpose         TEXT NOT NULL,
    legal_basis     TEXT NOT NULL,
    legal_ref       TEXT,
    -- Days (YYYY-MM-DD), both inclusive; no end day means until revoked.
    valid_from      TEXT NOT NULL,
    valid_to        TEXT,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    accepted_at     TEXT,
    accepted_by     TEXT,
    revoked_at      TEXT,
    revoked_by      TEXT,
    CHECK (reader_org <> holder_org),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
-- The read's check: the reader's bases (a handful per agency).
CREATE INDEX sharing_bases_by_reader ON sharing_bases (reader_org, holder_org);
CREATE INDEX sharing_bases_by_holder ON sharing_bases (holder_org);
