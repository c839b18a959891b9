-- Representation and consent (issue 4): powers of attorney, guardianships, parental authority,
-- consent requests and the agency → area map used to scope a represented person's overview.
-- SQLite twin of migrations/postgres/0005_representation.sql: keep them in step.

-- Names from the population register (and from guardianship registrations), for the
-- representative's searchable list. The source of truth; copied into representations below.
CREATE TABLE person_names (
    pid         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE representations (
    id                  TEXT PRIMARY KEY,
    kind                TEXT NOT NULL CHECK (kind IN ('mandate', 'guardianship', 'parental')),
    subject_pid         TEXT NOT NULL,
    -- Copied from person_names so that the list "people I act for" is one ordered index scan.
    subject_name        TEXT,
    subject_name_lc     TEXT NOT NULL DEFAULT '',
    representative_pid  TEXT NOT NULL,
    scopes              TEXT NOT NULL,
    actions             TEXT NOT NULL,
    valid_from          TEXT NOT NULL,
    valid_to            TEXT,
    revoked_at          TEXT,
    -- 'citizen' or the organisation number of the registering agency.
    registered_by       TEXT NOT NULL,
    reference           TEXT,
    created_at          TEXT NOT NULL
);
-- The representative's list, ordered by name (a lawyer with 1,000 clients pages through it).
CREATE INDEX representations_by_representative
    ON representations (representative_pid, subject_name_lc, subject_pid);
-- "Mandates I have given" and the caseworker lookup.
CREATE INDEX representations_by_subject ON representations (subject_pid, created_at);

CREATE TABLE consents (
    id              TEXT PRIMARY KEY,
    subject_pid     TEXT NOT NULL,
    requester_id    INTEGER NOT NULL REFERENCES agencies(id),
    requester_org   TEXT NOT NULL,
    requester_name  TEXT NOT NULL,
    from_org        TEXT NOT NULL,
    from_name       TEXT NOT NULL,
    categories      TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    valid_to        TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    decided_at      TEXT,
    revoked_at      TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX consents_by_subject ON consents (subject_pid, created_at);
CREATE INDEX consents_by_requester ON consents (requester_org, subject_pid);

CREATE TABLE agency_areas (
    org     TEXT PRIMARY KEY,
    areas   TEXT NOT NULL
);
