-- Revoke the live tokens of a user (one token when :token_id is given); a revoked token stays revoked.
UPDATE access_tokens
SET revoked_at = :now, revoked_why = :why
WHERE username = :username
  AND (:token_id IS NULL OR token_id = :token_id)
  AND revoked_at IS NULL
