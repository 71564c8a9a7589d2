INSERT INTO access_login_failures (at) VALUES (:now)
