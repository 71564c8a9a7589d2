SELECT id, username, via, credential_tag, created_at, last_seen FROM access_sessions
WHERE token_hash = :token_hash AND revoked_at IS NULL
