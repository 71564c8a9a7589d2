-- The pairs with a side whose row changed are recomputed.
DELETE FROM comebacks
WHERE first_intervention_id IN (SELECT intervention_id FROM eng_iv_row)
   OR comeback_intervention_id IN (SELECT intervention_id FROM eng_iv_row);
