SELECT failures, last_failure, locked_until FROM access_login_locks WHERE kind = :kind AND subject = :subject
