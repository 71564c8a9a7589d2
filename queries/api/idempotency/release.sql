-- Give a key back when its request failed without an answer worth replaying (a retry runs again).
DELETE FROM api_idempotency
WHERE username = :username AND idem_key = :idem_key AND request_sha256 = :request_sha256 AND status IS NULL
