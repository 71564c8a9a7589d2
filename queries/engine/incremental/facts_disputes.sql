-- The months of the intervention facts rows that changed (old or new version); the disputes of
-- eng_iv_status (old and new intervention) join eng_dispute, and their rows as they were are kept.
INSERT INTO eng_month
WITH new_rows AS (
    SELECT * FROM intervention_facts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
)
SELECT manufacturer_id, month FROM (SELECT * FROM eng_facts_old EXCEPT SELECT * FROM new_rows)
UNION
SELECT manufacturer_id, month FROM (SELECT * FROM new_rows EXCEPT SELECT * FROM eng_facts_old);

INSERT INTO eng_dispute
SELECT dispute_id FROM disputes WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
UNION
SELECT dispute_id FROM dispute_facts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
EXCEPT
SELECT dispute_id FROM eng_dispute;

CREATE OR REPLACE TEMP TABLE eng_facts_old AS
SELECT * FROM dispute_facts WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute);

DELETE FROM dispute_facts WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute);
