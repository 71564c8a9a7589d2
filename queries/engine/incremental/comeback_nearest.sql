-- The new comeback partners of the changed rows join eng_iv (their REPEAT_REPAIR, amounts, comeback_90).
INSERT INTO eng_iv
SELECT first_intervention_id, first_iv_key FROM comebacks
WHERE comeback_iv_key IN (SELECT iv_key FROM eng_iv_row)
UNION
SELECT comeback_intervention_id, comeback_iv_key FROM comebacks
WHERE first_iv_key IN (SELECT iv_key FROM eng_iv_row)
EXCEPT
SELECT intervention_id, iv_key FROM eng_iv;

DELETE FROM comeback_nearest WHERE comeback_iv_key IN (SELECT iv_key FROM eng_iv);
