-- Keep each person's overview items together on disk (issue 2, the overview's read path).
--
-- The overview reads everything one person has: until now each of the four item tables was a
-- rowid table with an index on pid, so every item cost a search in the index and another in the
-- table, some 40 B-tree searches per overview. As WITHOUT ROWID tables keyed by the person
-- first, one person's items of one kind are one range of one B-tree: one search each. The
-- agency's own key stays UNIQUE, so upserts and "an id never moves to another person" work as
-- before. Status events get a covering index in timeline order, so reading a case's history
-- touches only that index. Ingest still writes two B-trees per item (it wrote three).
--
-- SQLite only: this changes the physical layout, not the schema's meaning; PostgreSQL keeps its
-- heap tables with their pid indexes (migrations/postgres has no 0010).
--
-- sqlx runs a migration in one transaction with foreign keys on, so `cases` cannot be dropped
-- while `case_events` points at it: `case_events` is rebuilt too, pointing at the new table
-- (renaming `cases_by_person` to `cases` rewrites that reference), before the old ones go.

CREATE TABLE cases_by_person (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    case_id     TEXT NOT NULL,
    pid         TEXT NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    service     TEXT,
    url         TEXT,
    opened_at   TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (pid, agency_id, case_id),
    UNIQUE (agency_id, case_id)
) WITHOUT ROWID;
INSERT INTO cases_by_person (agency_id, case_id, pid, title, status, service, url, opened_at, updated_at)
    SELECT agency_id, case_id, pid, title, status, service, url, opened_at, updated_at
    FROM cases ORDER BY pid, agency_id, case_id;
CREATE TABLE case_events_new (
    id          INTEGER PRIMARY KEY,
    agency_id   INTEGER NOT NULL,
    case_id     TEXT NOT NULL,
    status      TEXT NOT NULL,
    at          TEXT NOT NULL,
    note        TEXT,
    UNIQUE (agency_id, case_id, status, at),
    FOREIGN KEY (agency_id, case_id) REFERENCES cases_by_person (agency_id, case_id)
);
INSERT INTO case_events_new (id, agency_id, case_id, status, at, note)
    SELECT id, agency_id, case_id, status, at, note FROM case_events ORDER BY id;
DROP TABLE case_events;
DROP TABLE cases;
ALTER TABLE cases_by_person RENAME TO cases;
ALTER TABLE case_events_new RENAME TO case_events;
-- Timeline order (at, id) with every column the overview reads.
CREATE INDEX case_events_timeline ON case_events (agency_id, case_id, at, id, status, note);

CREATE TABLE deadlines_by_person (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    deadline_id TEXT NOT NULL,
    pid         TEXT NOT NULL,
    title       TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    due_at      TEXT,
    case_id     TEXT,
    url         TEXT,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (pid, agency_id, deadline_id),
    UNIQUE (agency_id, deadline_id)
) WITHOUT ROWID;
INSERT INTO deadlines_by_person (agency_id, deadline_id, pid, title, due_date, due_at, case_id, url, updated_at)
    SELECT agency_id, deadline_id, pid, title, due_date, due_at, case_id, url, updated_at
    FROM deadlines ORDER BY pid, agency_id, deadline_id;
DROP TABLE deadlines;
ALTER TABLE deadlines_by_person RENAME TO deadlines;

CREATE TABLE benefits_by_person (
    agency_id    INTEGER NOT NULL REFERENCES agencies(id),
    benefit_id   TEXT NOT NULL,
    pid          TEXT NOT NULL,
    name         TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    next_payment TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (pid, agency_id, benefit_id),
    UNIQUE (agency_id, benefit_id)
) WITHOUT ROWID;
INSERT INTO benefits_by_person (agency_id, benefit_id, pid, name, amount_minor, currency, next_payment, updated_at)
    SELECT agency_id, benefit_id, pid, name, amount_minor, currency, next_payment, updated_at
    FROM benefits ORDER BY pid, agency_id, benefit_id;
DROP TABLE benefits;
ALTER TABLE benefits_by_person RENAME TO benefits;

-- Newest first within a person, as the overview and the message pages list them; sent_at is
-- set once, when the message first arrives, so the key never changes.
CREATE TABLE messages_by_person (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    message_id  TEXT NOT NULL,
    pid         TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    sent_at     TEXT NOT NULL,
    read_at     TEXT,
    PRIMARY KEY (pid, sent_at DESC, message_id, agency_id),
    UNIQUE (agency_id, message_id)
) WITHOUT ROWID;
INSERT INTO messages_by_person (agency_id, message_id, pid, subject, body, sent_at, read_at)
    SELECT agency_id, message_id, pid, subject, body, sent_at, read_at
    FROM messages ORDER BY pid, sent_at DESC, message_id, agency_id;
DROP TABLE messages;
ALTER TABLE messages_by_person RENAME TO messages;
