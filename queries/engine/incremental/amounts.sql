DELETE FROM intervention_amounts WHERE intervention_id IN (SELECT intervention_id FROM eng_iv);
