DELETE FROM intervention_required_documents WHERE intervention_id IN (SELECT intervention_id FROM eng_iv);
