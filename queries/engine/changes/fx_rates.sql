-- Staged fx rates about to be loaded: key currency|YYYY-MM.
INSERT INTO engine_changes
SELECT DISTINCT 'fx', currency || '|' || month FROM @stg@ WHERE currency IS NOT NULL AND month IS NOT NULL;
