-- score_weights of every policy version of the manufacturer (policy-format.md: set in base only),
-- one row per version and weighted metric; a version with no score_weights has one row with
-- metric and weight NULL (the caller then uses equal weights). The caller picks, for a day, the
-- version in force (the latest valid_from <= the day), as metrics/score_weights.sql does for one
-- day: read once, so that scoring every month of a period asks the store once.
SELECT v.valid_from, p.item AS metric, p.num_value AS weight
FROM policy_versions v
LEFT JOIN policy_values p
       ON p.manufacturer_id = v.manufacturer_id AND p.valid_from = v.valid_from
      AND p.level = 'base' AND p.key = 'score_weights'
WHERE v.manufacturer_id = $manufacturer_id
ORDER BY v.valid_from, p.item;
