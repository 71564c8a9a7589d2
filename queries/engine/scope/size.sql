-- How many interventions an incremental refresh would recompute, and how many the store holds.
SELECT (SELECT count(*) FROM (SELECT intervention_id FROM eng_iv UNION SELECT intervention_id FROM eng_iv_status)),
       (SELECT count(*) FROM interventions);
