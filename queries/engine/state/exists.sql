-- Whether the store (the connection's current database) has the engine's state table.
SELECT count(*) > 0 FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = 'engine_state'
