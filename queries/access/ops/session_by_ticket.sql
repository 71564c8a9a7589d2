SELECT id, username FROM access_sessions
WHERE ticket_hash = :ticket_hash AND ticket_expires > :now AND revoked_at IS NULL
