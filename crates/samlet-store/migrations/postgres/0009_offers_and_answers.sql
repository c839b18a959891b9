-- Life events, second step (issue 5): offers made by a rule change, the household facts an event
-- delivered (kept so a changed rule set can be evaluated again), and the citizen's own answers
-- to questions no register can answer.
-- PostgreSQL twin of migrations/sqlite/0009_offers_and_answers.sql: keep them in step.

-- Offers: a rule change makes offers without an event; one offer per person, rule set and period.
DELETE FROM offers WHERE id NOT IN (SELECT MAX(id) FROM offers GROUP BY pid, ruleset, period);
ALTER TABLE offers
    ALTER COLUMN agency_id DROP NOT NULL,
    ALTER COLUMN event_id DROP NOT NULL,
    ADD COLUMN title_nb TEXT NOT NULL DEFAULT 'barnetrygd',
    ADD COLUMN title_en TEXT NOT NULL DEFAULT 'child benefit',
    ADD COLUMN unit TEXT NOT NULL DEFAULT 'month',
    ADD COLUMN reason TEXT NOT NULL DEFAULT 'event';
CREATE UNIQUE INDEX offers_once ON offers (pid, ruleset, period);
CREATE INDEX offers_by_ruleset ON offers (ruleset);

-- The household an event delivered, per person it concerns, with its source and date.
CREATE TABLE household_facts (
    pid         TEXT NOT NULL,
    agency_id   BIGINT NOT NULL,
    event_id    TEXT NOT NULL,
    relation    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    event_date  DATE NOT NULL,
    household   TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
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
    answered_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (journey_id, fact)
);
