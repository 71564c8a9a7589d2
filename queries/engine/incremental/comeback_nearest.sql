-- The new comeback partners of the changed rows join eng_iv (their REPEAT_REPAIR, amounts, comeback_90).
INSERT INTO eng_iv
SELECT first_intervention_id FROM comebacks
WHERE comeback_intervention_id IN (SELECT intervention_id FROM eng_iv_row)
UNION
SELECT comeback_intervention_id FROM comebacks
WHERE first_intervention_id IN (SELECT intervention_id FROM eng_iv_row)
EXCEPT
SELECT intervention_id FROM eng_iv;

DELETE FROM comeback_nearest WHERE comeback_intervention_id IN (SELECT intervention_id FROM eng_iv);
