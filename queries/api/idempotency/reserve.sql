-- Claim an idempotency key for a request being answered (no row is replaced: the first one wins).
INSERT OR IGNORE INTO api_idempotency (username, idem_key, request_sha256, created_at)
VALUES (:username, :idem_key, :request_sha256, :created_at)
