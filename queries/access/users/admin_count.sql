-- Number of network managers with the admin flag (the last one may not be removed).
SELECT count(*) FROM users WHERE role = 'manager' AND is_admin;
