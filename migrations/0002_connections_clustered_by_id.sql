-- Connections stored in id order (a WITHOUT ROWID table keyed by id), instead of in insertion order behind an
-- index on id. Everything that walks connections goes by id (listing, revalidation, which records runs in id
-- order): a page of the table now holds neighbouring ids, so a batch of recorded runs dirties a few pages
-- instead of one page per connection, a lookup by id is one B-tree search instead of two, and a range of ids is
-- one range scan. The columns, their checks and the indexes are unchanged.
--
-- The table is rebuilt as SQLite's "making other kinds of table schema changes" procedure describes: the
-- migrator turns foreign keys off around every migration (dropping the old table would otherwise cascade into
-- history) and runs `PRAGMA foreign_key_check` before it commits.
CREATE TABLE connections_clustered (
    id             TEXT    PRIMARY KEY,            -- canonical lower-case UUID text
    type_name      TEXT    NOT NULL REFERENCES connection_types (name),
    name           TEXT    NOT NULL,
    status         TEXT    NOT NULL CHECK (status IN ('valid', 'invalid', 'needs-input', 'unverified')),
    metadata_type  TEXT    CHECK (metadata_type IN ('text', 'email')),
    metadata_value TEXT,
    uid            TEXT,
    spec_version   INTEGER NOT NULL,
    verified_at    INTEGER,
    expires_at     INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    last_outcome   TEXT    CHECK (last_outcome IN ('valid', 'invalid', 'unreachable', 'needs-input')),
    last_error     TEXT,                           -- already redacted
    sealed         BLOB    NOT NULL                -- parameters and data collection
) STRICT, WITHOUT ROWID;

INSERT INTO connections_clustered (
    id, type_name, name, status, metadata_type, metadata_value, uid, spec_version, verified_at, expires_at,
    created_at, updated_at, last_outcome, last_error, sealed)
SELECT id, type_name, name, status, metadata_type, metadata_value, uid, spec_version, verified_at, expires_at,
       created_at, updated_at, last_outcome, last_error, sealed
FROM connections ORDER BY id;

DROP TABLE connections;
ALTER TABLE connections_clustered RENAME TO connections;

CREATE INDEX connections_by_uid ON connections (uid) WHERE uid IS NOT NULL;
CREATE INDEX connections_by_status ON connections (status);
CREATE INDEX connections_by_type ON connections (type_name);
CREATE INDEX connections_by_expiry ON connections (expires_at) WHERE expires_at IS NOT NULL;
