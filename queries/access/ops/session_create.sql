INSERT INTO access_sessions (username, via, credential_tag, ticket_hash, ticket_expires, created_at, last_seen)
VALUES (:username, :via, :credential_tag, :ticket_hash, :ticket_expires, :now, :now)
RETURNING id
