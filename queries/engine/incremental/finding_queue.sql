DELETE FROM finding_queue WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status);
