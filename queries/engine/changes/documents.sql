-- Staged documents about to be loaded (the key holds the intervention, so it cannot move).
INSERT INTO engine_changes SELECT DISTINCT 'document', intervention_id FROM @stg@ WHERE intervention_id IS NOT NULL;
