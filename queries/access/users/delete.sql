-- Remove one user by username.
DELETE FROM users WHERE username = $username;
