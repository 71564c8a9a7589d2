INSERT OR REPLACE INTO access_devices (token_hash, username, created_at, last_used, failures)
VALUES (:token_hash, :username, :now, :now, 0)
