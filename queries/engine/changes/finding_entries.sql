-- Staged finding entries about to be appended (only new entry ids land; recording more is harmless).
INSERT INTO engine_changes SELECT DISTINCT 'entry', intervention_id FROM @stg@ WHERE intervention_id IS NOT NULL;
