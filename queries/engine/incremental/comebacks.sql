-- The pairs with a side whose row changed are recomputed.
DELETE FROM comebacks
WHERE first_iv_key IN (SELECT iv_key FROM eng_iv_row)
   OR comeback_iv_key IN (SELECT iv_key FROM eng_iv_row);

-- The changed rows' units (intervention_units) are given again.
DELETE FROM intervention_units WHERE iv_key IN (SELECT iv_key FROM eng_iv_row);
