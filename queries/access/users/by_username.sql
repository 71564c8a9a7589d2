-- One user by exact (already normalised) username, with its password hash, for login.
SELECT username, role, manufacturer_id, station_id, is_admin, email, created_at, password_hash
FROM users
WHERE username = $username;
