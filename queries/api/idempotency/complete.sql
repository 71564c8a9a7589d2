-- The answer given to the request that claimed the key, replayed for its retries.
UPDATE api_idempotency
SET status = :status, content_type = :content_type, body = :body
WHERE username = :username AND idem_key = :idem_key AND request_sha256 = :request_sha256
