-- Every user, without password hashes, sorted by username.
SELECT username, role, manufacturer_id, station_id, is_admin, email, created_at
FROM users
ORDER BY username;
