-- The change set of a writer's connection (analytics/engine/changes.py): temporary, never published.
CREATE TEMP TABLE IF NOT EXISTS engine_changes (kind VARCHAR NOT NULL, key VARCHAR NOT NULL);
