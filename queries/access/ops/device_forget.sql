-- A device token is forgotten after too many failed logins from it, or long unused.
DELETE FROM access_devices WHERE failures >= :max_failures OR last_used <= :now - :max_age
