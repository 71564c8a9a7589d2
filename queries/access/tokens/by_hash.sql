-- The token whose secret hashes to :secret_sha256, whatever its state (the caller decides).
SELECT token_id, username, role, manufacturer_id, station_id, created_at, expires_at, revoked_at, revoked_why, last_used_at
FROM access_tokens
WHERE secret_sha256 = :secret_sha256
