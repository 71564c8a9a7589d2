-- Whether this connection records its changes.
SELECT 1 FROM duckdb_tables() WHERE temporary AND table_name = 'engine_changes';
