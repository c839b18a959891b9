-- Life events, personal journeys and proactive offers (module 2).
-- SQLite twin of migrations/postgres/0004_journeys.sql: keep them in step.
CREATE TABLE life_events (
    agency_id   INTEGER NOT NULL REFERENCES agencies(id),
    event_id    TEXT NOT NULL,
    pid         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    event_date  TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (agency_id, event_id)
);

CREATE TABLE journeys (
    id          TEXT PRIMARY KEY,
    pid         TEXT NOT NULL,
    journey_key TEXT NOT NULL,
    event_date  TEXT NOT NULL,
    tasks       TEXT NOT NULL,
    agency_id   INTEGER NOT NULL,
    event_id    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    FOREIGN KEY (agency_id, event_id) REFERENCES life_events(agency_id, event_id)
);
CREATE INDEX journeys_by_pid ON journeys (pid);

CREATE TABLE journey_tasks_done (
    journey_id  TEXT NOT NULL REFERENCES journeys(id),
    task_id     TEXT NOT NULL,
    done_by     TEXT NOT NULL,
    done_at     TEXT NOT NULL,
    PRIMARY KEY (journey_id, task_id)
);

CREATE TABLE offers (
    id              INTEGER PRIMARY KEY,
    pid             TEXT NOT NULL,
    ruleset         TEXT NOT NULL,
    period          TEXT NOT NULL,
    amount          TEXT NOT NULL,
    explanation_nb  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    apply_url       TEXT,
    agency_id       INTEGER NOT NULL,
    event_id        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    FOREIGN KEY (agency_id, event_id) REFERENCES life_events(agency_id, event_id)
);
CREATE INDEX offers_by_pid ON offers (pid);
