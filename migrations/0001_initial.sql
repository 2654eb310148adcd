-- The vault's first schema. Timestamps are integer milliseconds since the Unix epoch (UTC).
-- Every column holding secret material is a sealed BLOB (see docs/SECURITY.md for the format);
-- everything lists and filters need stays in plain columns so that no query has to decrypt.

-- The vault itself: one row, written by `init`.
CREATE TABLE vault (
    singleton      INTEGER PRIMARY KEY CHECK (singleton = 1),
    id             TEXT    NOT NULL,               -- UUID, bound into every ciphertext's additional data
    format_version INTEGER NOT NULL,               -- sealed-box format the vault writes
    kdf            TEXT    NOT NULL CHECK (kdf IN ('raw', 'argon2id')),
    kdf_salt       BLOB,                           -- argon2id only
    kdf_opslimit   INTEGER,                        -- argon2id only
    kdf_memlimit   INTEGER,                        -- argon2id only, bytes
    key_check      BLOB    NOT NULL,               -- a known text sealed under the master key
    created_at     INTEGER NOT NULL
) STRICT;

-- Data keys, each wrapped (sealed) by the master key. The highest version is the one that seals.
CREATE TABLE data_keys (
    version     INTEGER PRIMARY KEY CHECK (version > 0),
    wrapped_key BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE connection_types (
    name         TEXT    PRIMARY KEY,
    label        TEXT    NOT NULL,
    spec_json    TEXT    NOT NULL,                 -- the spec without its common data
    spec_version INTEGER NOT NULL CHECK (spec_version > 0),
    imported_at  INTEGER NOT NULL
) STRICT;

-- Common data: one sealed JSON object per connection type.
CREATE TABLE common_data (
    type_name  TEXT    PRIMARY KEY REFERENCES connection_types (name) ON DELETE CASCADE,
    sealed     BLOB    NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE connections (
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
) STRICT;
CREATE INDEX connections_by_uid ON connections (uid) WHERE uid IS NOT NULL;
CREATE INDEX connections_by_status ON connections (status);
CREATE INDEX connections_by_type ON connections (type_name);
CREATE INDEX connections_by_expiry ON connections (expires_at) WHERE expires_at IS NOT NULL;

-- One row per verification run of a stored connection.
CREATE TABLE history (
    id            INTEGER PRIMARY KEY,
    connection_id TEXT    NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    at            INTEGER NOT NULL,
    spec_version  INTEGER NOT NULL,
    outcome       TEXT    NOT NULL CHECK (outcome IN ('valid', 'invalid', 'unreachable', 'needs-input')),
    http_status   INTEGER,
    duration_ms   INTEGER NOT NULL,
    error         TEXT                             -- already redacted
) STRICT;
CREATE INDEX history_by_connection ON history (connection_id, at DESC, id DESC);
