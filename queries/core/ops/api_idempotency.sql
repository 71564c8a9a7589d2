-- Idempotency keys of the HTTP API (analytics/api/idempotency.py): the first answer to a request
-- with a given Idempotency-Key, per user, replayed for a retry with the same request, and a retry
-- with another request is refused. A NULL status: the first request is still being answered.
CREATE TABLE api_idempotency (
    username        TEXT NOT NULL,
    idem_key        TEXT NOT NULL,
    request_sha256  TEXT NOT NULL,             -- method, path, content type and body
    status          INTEGER,
    content_type    TEXT,
    body            BLOB,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (username, idem_key)
)
