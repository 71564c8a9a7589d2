DELETE FROM access_login_locks WHERE kind = :kind AND subject = :subject
