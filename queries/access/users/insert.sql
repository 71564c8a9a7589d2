-- Add one user (or replace it, for the demo users): the password only as its argon2 hash.
INSERT OR REPLACE INTO users
    (username, role, manufacturer_id, station_id, is_admin, password_hash, email, created_at)
VALUES
    ($username, $role, $manufacturer_id, $station_id, $is_admin, $password_hash, $email, now()::TIMESTAMP);
