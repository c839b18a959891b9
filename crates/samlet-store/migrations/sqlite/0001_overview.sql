-- Agencies and what they push about persons (the overview, "Mit overblik").
CREATE TABLE agencies (
    id          INTEGER PRIMARY KEY,
    org         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    client_id   TEXT UNIQUE,
    jwks        TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE agency_tokens (
    token_hash  BLOB PRIMARY KEY,
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    kind        TEXT NOT NULL,
    scope       TEXT NOT NULL,
    expires_at  TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE used_jtis (
    client_id   TEXT NOT NULL,
    jti         TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    PRIMARY KEY (client_id, jti)
);

CREATE TABLE cases (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    case_id     TEXT NOT NULL,
    pid         TEXT NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    service     TEXT,
    url         TEXT,
    opened_at   TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (agency_id, case_id)
);
CREATE INDEX cases_by_pid ON cases (pid);

CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL,
    case_id     TEXT NOT NULL,
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,
    note        TEXT,
    UNIQUE (agency_id, case_id, status, at),
    FOREIGN KEY (agency_id, case_id) REFERENCES cases (agency_id, case_id)
);

CREATE TABLE deadlines (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    deadline_id TEXT NOT NULL,
    pid         TEXT NOT NULL,
    title       TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    due_at      TEXT,
    case_id     TEXT,
    url         TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (agency_id, deadline_id)
);
CREATE INDEX deadlines_by_pid ON deadlines (pid, due_date);

CREATE TABLE benefits (
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    benefit_id   TEXT NOT NULL,
    pid          TEXT NOT NULL,
    name         TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    next_payment TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (agency_id, benefit_id)
);
CREATE INDEX benefits_by_pid ON benefits (pid);

CREATE TABLE messages (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    message_id  TEXT NOT NULL,
    pid         TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    read_at     TEXT,
    PRIMARY KEY (agency_id, message_id)
);
CREATE INDEX messages_by_pid ON messages (pid, sent_at);

CREATE TABLE calendar_feeds (
    token_hash  BLOB PRIMARY KEY,
    pid         TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX calendar_feeds_by_pid ON calendar_feeds (pid);

CREATE TABLE sessions (
    id_hash     BLOB PRIMARY KEY,
    pid         TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
