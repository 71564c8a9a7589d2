-- The months of the facts rows replaced, as they were.
INSERT INTO eng_month
SELECT DISTINCT manufacturer_id, month FROM intervention_facts
WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status);

DELETE FROM intervention_facts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status);
