DELETE FROM intervention_required_documents WHERE iv_key IN (SELECT iv_key FROM eng_iv);
