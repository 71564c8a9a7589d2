-- A new API token (only its hash is kept).
INSERT INTO access_tokens (token_id, username, secret_sha256, role, manufacturer_id, station_id, created_at, expires_at)
VALUES (:token_id, :username, :secret_sha256, :role, :manufacturer_id, :station_id, :created_at, :expires_at)
