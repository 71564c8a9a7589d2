-- One import_log row per import that landed (migration 001): when, from what, how many rows.
INSERT INTO main.import_log (import_id, finished_at, sources, rows_by_table, warnings)
SELECT coalesce(max(import_id), 0) + 1, now()::TIMESTAMP, $sources, $rows_by_table, $warnings
FROM main.import_log
