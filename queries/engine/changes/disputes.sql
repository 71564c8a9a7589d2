-- Staged disputes about to be loaded (the engine reads a replaced dispute's old intervention from dispute_facts).
INSERT INTO engine_changes SELECT DISTINCT 'dispute', dispute_id FROM @stg@ WHERE dispute_id IS NOT NULL;
