-- What is kept for an idempotency key of a user.
SELECT request_sha256, status, content_type, body
FROM api_idempotency
WHERE username = :username AND idem_key = :idem_key
