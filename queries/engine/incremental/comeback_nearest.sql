-- The new later partners of the changed rows join eng_iv (their nearest earlier repair may now be the
-- changed row: REPEAT_REPAIR, amounts); the new earlier partners within 90 days join eng_iv_status (their
-- comeback_90 only, as in incremental/changes.sql).
INSERT INTO eng_iv
SELECT comeback_intervention_id, comeback_iv_key FROM comebacks
WHERE first_iv_key IN (SELECT iv_key FROM eng_iv_row)
EXCEPT
SELECT intervention_id, iv_key FROM eng_iv;

INSERT INTO eng_iv_status
SELECT first_intervention_id, first_iv_key FROM comebacks
WHERE gap_days <= 90 AND comeback_iv_key IN (SELECT iv_key FROM eng_iv_row)
EXCEPT
SELECT intervention_id, iv_key FROM eng_iv_status;

DELETE FROM comeback_nearest WHERE comeback_iv_key IN (SELECT iv_key FROM eng_iv);
