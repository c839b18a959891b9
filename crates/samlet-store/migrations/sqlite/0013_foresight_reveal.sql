-- Foresight: the presenter's explicit reveal of an open session's results.
-- SQLite twin of migrations/postgres/0016_foresight_reveal.sql: keep them in step.
--
-- Results of an open session are withheld from everyone until the session
-- closes or the team reveals them; who revealed and when stay on the session
-- as its record. Set once, never cleared.
ALTER TABLE foresight_sessions ADD COLUMN revealed_at TEXT;
ALTER TABLE foresight_sessions ADD COLUMN revealed_by TEXT;
