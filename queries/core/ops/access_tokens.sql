-- API tokens (analytics/access/tokens.py): each belongs to a user of the store and carries that
-- user's role and scope as they were when it was made, and only the SHA-256 of the secret is kept.
-- A token whose user was removed or changed role or scope is refused and revoked at its next use.
CREATE TABLE access_tokens (
    token_id        TEXT PRIMARY KEY,          -- public part, shown by `users token list`
    username        TEXT NOT NULL,
    secret_sha256   TEXT NOT NULL UNIQUE,      -- hex SHA-256 of the whole token
    role            TEXT NOT NULL,
    manufacturer_id TEXT,
    station_id      TEXT,
    created_at      TEXT NOT NULL,             -- ISO 8601, UTC
    expires_at      TEXT,                      -- NULL: never expires
    revoked_at      TEXT,
    revoked_why     TEXT,
    last_used_at    TEXT
);
CREATE INDEX access_tokens_by_user ON access_tokens (username)
