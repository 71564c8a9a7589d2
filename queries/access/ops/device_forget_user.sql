DELETE FROM access_devices WHERE username = :username
