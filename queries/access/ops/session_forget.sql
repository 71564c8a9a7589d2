-- Sessions over their absolute lifetime (revoked or not) are of no further use.
DELETE FROM access_sessions WHERE created_at <= :now - :max_age
