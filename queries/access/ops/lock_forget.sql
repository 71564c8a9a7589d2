DELETE FROM access_login_locks WHERE locked_until <= :now AND last_failure <= :now - :forget_after
