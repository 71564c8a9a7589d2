UPDATE access_sessions SET token_hash = :token_hash, ticket_hash = NULL, ticket_expires = NULL WHERE id = :id
