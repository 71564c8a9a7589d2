-- The months of the new facts rows; the disputes of eng_iv_status (old and new intervention) join eng_dispute.
INSERT INTO eng_month
SELECT DISTINCT manufacturer_id, month FROM intervention_facts
WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status);

INSERT INTO eng_dispute
SELECT dispute_id FROM disputes WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
UNION
SELECT dispute_id FROM dispute_facts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
EXCEPT
SELECT dispute_id FROM eng_dispute;

DELETE FROM dispute_facts WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute);
