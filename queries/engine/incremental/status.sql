DELETE FROM intervention_status WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);
