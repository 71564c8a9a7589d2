SELECT username, revoked_at, token_hash IS NOT NULL AS exchanged, created_at, last_seen FROM access_sessions WHERE id = :id
