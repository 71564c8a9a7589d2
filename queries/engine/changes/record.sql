-- Record changed keys of one kind.
INSERT INTO engine_changes SELECT $kind, unnest($keys::VARCHAR[]);
