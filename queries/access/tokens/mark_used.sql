-- When a token was last accepted (shown by `users token list`).
UPDATE access_tokens SET last_used_at = :now WHERE token_id = :token_id
