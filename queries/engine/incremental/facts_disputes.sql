-- The disputes of eng_iv_status (old and new intervention) join eng_dispute; their rows as they were are kept.
INSERT INTO eng_dispute
SELECT dispute_id FROM disputes WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
UNION
SELECT dispute_id FROM dispute_facts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
EXCEPT
SELECT dispute_id FROM eng_dispute;

CREATE OR REPLACE TEMP TABLE eng_dispute_facts_old AS
SELECT * FROM dispute_facts WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute);

DELETE FROM dispute_facts WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute);
