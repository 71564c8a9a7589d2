-- The currency settings of the policies already in the store, for the manufacturers whose
-- policy this import does not replace (the import's own policies are added from the parsed
-- files). `currency` is set in base and may be overridden per country only (policy-format.md).
INSERT INTO imp_policy_currency
SELECT manufacturer_id, valid_from, level, country, text_value
FROM main.policy_values
WHERE key = 'currency' AND level IN ('base', 'country')
  AND NOT list_contains($replaced_manufacturers, manufacturer_id)
