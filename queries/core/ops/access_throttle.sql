-- Login throttling (analytics/access/throttle.py): failures per username and per client address,
-- every failure's time for the server-wide brake, and the devices a user has logged in from.
CREATE TABLE access_login_locks (
    kind         TEXT NOT NULL CHECK (kind IN ('username', 'address')),
    subject      TEXT NOT NULL,          -- the normalised username, or the client address
    failures     INTEGER NOT NULL,
    last_failure REAL NOT NULL,          -- seconds since the epoch
    locked_until REAL NOT NULL,
    PRIMARY KEY (kind, subject)
);
CREATE TABLE access_login_failures (at REAL NOT NULL);
CREATE INDEX access_login_failures_at ON access_login_failures (at);
-- A device is known for one username after a successful login from it: the browser keeps a random
-- token in an HttpOnly cookie, the server only its SHA-256.
CREATE TABLE access_devices (
    token_hash TEXT PRIMARY KEY,
    username   TEXT NOT NULL,
    created_at REAL NOT NULL,
    last_used  REAL NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX access_devices_username ON access_devices (username)
