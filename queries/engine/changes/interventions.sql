-- Staged interventions about to be loaded: the engine reads their old values from its own tables.
INSERT INTO engine_changes SELECT DISTINCT 'intervention', intervention_id FROM @stg@ WHERE intervention_id IS NOT NULL;
