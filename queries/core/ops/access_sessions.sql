-- Login sessions that survive a reload (analytics/access/sessions.py). The browser holds a random
-- token in an HttpOnly cookie, the server keeps only its SHA-256 (a copy of this database gives
-- no usable session). A session is created at login with a one-time ticket, exchanged by the
-- browser (within seconds) for the token.
CREATE TABLE access_sessions (
    id             INTEGER PRIMARY KEY,
    username       TEXT NOT NULL,
    via            TEXT NOT NULL,        -- 'password' | 'oidc'
    credential_tag TEXT,                 -- fingerprint of the password hash at login (a reset ends it)
    token_hash     TEXT UNIQUE,          -- NULL until the ticket is exchanged
    ticket_hash    TEXT UNIQUE,          -- NULL once exchanged
    ticket_expires REAL,
    created_at     REAL NOT NULL,
    last_seen      REAL NOT NULL,
    revoked_at     REAL
);
CREATE INDEX access_sessions_username ON access_sessions (username)
