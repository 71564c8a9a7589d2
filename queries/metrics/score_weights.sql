-- score_weights of the manufacturer's policy version in force on $on (policy-format.md: the
-- version with the latest valid_from <= the day; score_weights is set in base only).
-- No row: the version has none, or no version is in force (the caller then uses equal weights).
SELECT item AS metric, num_value AS weight
FROM policy_values
WHERE manufacturer_id = $manufacturer_id
  AND level = 'base' AND key = 'score_weights'
  AND valid_from = (SELECT max(valid_from) FROM policy_versions
                    WHERE manufacturer_id = $manufacturer_id AND valid_from <= $on)
ORDER BY item;
