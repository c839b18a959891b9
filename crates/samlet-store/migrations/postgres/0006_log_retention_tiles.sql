-- The transparency log, part 2 (issue 3): retention committed to the log and
-- leaf data for tlog-tiles entry bundles. PostgreSQL twin of
-- migrations/sqlite/0006_log_retention_tiles.sql.

-- What each leaf hashes (leaf hash = SHA-256(0x00 || data)): the 32-byte
-- salted commitment of an access entry, or the public text of a retention
-- record. Public, served as tlog-tiles entry bundles; kept when retention
-- deletes an entry's details. Insert-only.
CREATE TABLE log_leaf_data (
    idx         BIGINT PRIMARY KEY,
    data        BYTEA NOT NULL
);

-- Retention records in the log: the leaf at idx says "the details of every
-- access entry below expire_before were deleted". Written in the same
-- transaction as the tombstones and the deletion.
CREATE TABLE log_retention (
    idx             BIGINT PRIMARY KEY,
    expire_before   BIGINT NOT NULL
);

-- Which retention record a tombstone belongs to (NULL for tombstones left
-- before this migration, which no record covers).
ALTER TABLE log_tombstones ADD COLUMN retention_idx BIGINT;
