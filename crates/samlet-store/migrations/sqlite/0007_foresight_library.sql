-- Foresight (module 8): the strategy team's edits to the trend library.
-- Twin of migrations/postgres/0007_foresight_library.sql: keep them in step.
--
-- The seeded library (17 driving forces, 14 trends) ships in the binary; a
-- row here replaces the item with the same kind and code, or adds a new one.
-- Deleting the row restores the seeded default. Sessions copy the trends'
-- statements into their own spec when created, so edits never change what
-- was rated in an earlier session.
CREATE TABLE foresight_library_items (
    kind        TEXT NOT NULL CHECK (kind IN ('driving_force', 'theme', 'trend')),
    code        TEXT NOT NULL,
    -- The item as JSON; owned and validated by samlet-foresight in the server.
    item        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (kind, code)
);
