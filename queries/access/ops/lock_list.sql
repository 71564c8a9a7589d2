-- Every username or address with failures not yet forgotten, locked ones first.
SELECT kind, subject, failures, last_failure, locked_until FROM access_login_locks
WHERE locked_until > :now OR last_failure > :now - :forget_after
ORDER BY locked_until DESC, kind, subject
