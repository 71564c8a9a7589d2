-- The disputes of eng_iv_status (old and new intervention) join eng_dispute; their rows as they were are kept.
-- disputes (a contract table) has only the text key; dispute_facts is found by the engine's key.
INSERT INTO eng_dispute
SELECT dispute_id FROM disputes WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
UNION
SELECT dispute_id FROM dispute_facts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)
EXCEPT
SELECT dispute_id FROM eng_dispute;

-- The old rows of eng_dispute are exactly the dispute_facts rows of eng_iv_status: a changed dispute's
-- old intervention is in eng_iv_status (changes.sql), an unchanged one's is its current one, and every
-- dispute_facts row of eng_iv_status joined eng_dispute just above. So they are found by iv_key alone.
CREATE OR REPLACE TEMP TABLE eng_dispute_facts_old AS
SELECT * FROM dispute_facts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);

DELETE FROM dispute_facts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);
