-- Authority is granted: the scopes each agency holds, set only by the
-- operator (`samlet agency grant|revoke`). Every agency registered before
-- this keeps what a new agency gets: its own items, read and write; special
-- roles (guardianship, population register, sharing, support) must be
-- granted again, each grant a record in the transparency log.
ALTER TABLE agencies ADD COLUMN scopes TEXT NOT NULL DEFAULT 'samlet:write samlet:read';

-- Public governance records in the transparency log (scope grants and
-- revocations, sharing bases): the leaf data is the record itself, public,
-- like a retention record's. Insert-only.
CREATE TABLE log_governance (
    idx     BIGINT PRIMARY KEY
);
