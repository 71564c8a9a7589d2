UPDATE access_sessions SET revoked_at = :now, ticket_hash = NULL WHERE id = :id AND revoked_at IS NULL
