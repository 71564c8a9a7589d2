DELETE FROM access_login_failures WHERE at <= :now - :window
