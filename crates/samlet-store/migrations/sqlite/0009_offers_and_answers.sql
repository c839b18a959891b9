-- Life events, second step (issue 5): offers made by a rule change, the household facts an event
-- delivered (kept so a changed rule set can be evaluated again), and the citizen's own answers
-- to questions no register can answer.
-- SQLite twin of migrations/postgres/0009_offers_and_answers.sql: keep them in step.

-- Offers: a rule change makes offers without an event, so agency_id/event_id may be NULL; an
-- offer is made once per person, rule set and period (re-running makes no duplicates); what is
-- offered (title, monthly or once) and why (an event or a rule change) is kept with it.
-- SQLite cannot drop NOT NULL, so the table is rebuilt.
CREATE TABLE offers_new (
    id              INTEGER PRIMARY KEY,
    pid             TEXT NOT NULL,
    ruleset         TEXT NOT NULL,
    period          TEXT NOT NULL,
    amount          TEXT NOT NULL,
    explanation_nb  TEXT NOT NULL,
    explanation_en  TEXT NOT NULL,
    apply_url       TEXT,
    agency_id       INTEGER,
    event_id        TEXT,
    created_at      TEXT NOT NULL,
    title_nb        TEXT NOT NULL DEFAULT 'barnetrygd',
    title_en        TEXT NOT NULL DEFAULT 'child benefit',
    unit            TEXT NOT NULL DEFAULT 'month',
    reason          TEXT NOT NULL DEFAULT 'event',
    FOREIGN KEY (agency_id, event_id) REFERENCES life_events(agency_id, event_id)
);
INSERT INTO offers_new (id, pid, ruleset, period, amount, explanation_nb, explanation_en, apply_url,
                        agency_id, event_id, created_at)
    SELECT id, pid, ruleset, period, amount, explanation_nb, explanation_en, apply_url,
           agency_id, event_id, created_at
    FROM offers WHERE id IN (SELECT MAX(id) FROM offers GROUP BY pid, ruleset, period);
DROP TABLE offers;
ALTER TABLE offers_new RENAME TO offers;
CREATE INDEX offers_by_pid ON offers (pid);
CREATE UNIQUE INDEX offers_once ON offers (pid, ruleset, period);
CREATE INDEX offers_by_ruleset ON offers (ruleset);

-- The household an event delivered, per person it concerns, with its source (the reporting
-- agency and event) and date.
CREATE TABLE household_facts (
    pid         TEXT NOT NULL,
    agency_id   INTEGER NOT NULL,
    event_id    TEXT NOT NULL,
    relation    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    event_date  TEXT NOT NULL,
    household   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (pid, agency_id, event_id),
    FOREIGN KEY (agency_id, event_id) REFERENCES life_events(agency_id, event_id)
);
CREATE INDEX household_facts_by_kind ON household_facts (kind, pid);

-- The facts a journey was planned with, so it can be planned again with the citizen's answers.
ALTER TABLE journeys ADD COLUMN facts TEXT;

-- Self-declared answers (value as JSON), one per journey and fact.
CREATE TABLE journey_answers (
    journey_id  TEXT NOT NULL REFERENCES journeys(id),
    fact        TEXT NOT NULL,
    value       TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (journey_id, fact)
);
