UPDATE access_devices SET last_used = :now, failures = 0 WHERE token_hash = :token_hash
