SELECT username, failures FROM access_devices WHERE token_hash = :token_hash
