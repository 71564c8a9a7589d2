-- Users whose e-mail matches (case-insensitive), for OpenID Connect login; more than one is ambiguous.
SELECT username, role, manufacturer_id, station_id, is_admin, email, created_at, password_hash
FROM users
WHERE email IS NOT NULL AND lower(email) = lower($email)
ORDER BY username;
