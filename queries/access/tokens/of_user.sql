-- Every token of a user (never a secret or its hash), newest first.
SELECT token_id, username, role, manufacturer_id, station_id, created_at, expires_at, revoked_at, revoked_why,
       last_used_at
FROM access_tokens
WHERE username = :username
ORDER BY created_at DESC, token_id
