UPDATE access_sessions SET revoked_at = :now, ticket_hash = NULL WHERE username = :username AND revoked_at IS NULL
