UPDATE access_sessions SET last_seen = :now WHERE id = :id AND revoked_at IS NULL
