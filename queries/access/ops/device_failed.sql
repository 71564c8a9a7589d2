UPDATE access_devices SET failures = failures + 1 WHERE token_hash = :token_hash
