DELETE FROM intervention_amounts WHERE iv_key IN (SELECT iv_key FROM eng_iv);
