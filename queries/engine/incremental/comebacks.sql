-- The pairs with a side whose row changed are recomputed.
DELETE FROM comebacks
WHERE first_iv_key IN (SELECT iv_key FROM eng_iv_row)
   OR comeback_iv_key IN (SELECT iv_key FROM eng_iv_row);
