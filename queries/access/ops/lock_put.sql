INSERT INTO access_login_locks (kind, subject, failures, last_failure, locked_until)
VALUES (:kind, :subject, :failures, :now, :locked_until)
ON CONFLICT (kind, subject) DO UPDATE SET failures = excluded.failures, last_failure = excluded.last_failure,
    locked_until = excluded.locked_until
