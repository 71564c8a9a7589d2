-- bonus_tiers of every policy version of the manufacturer (policy-format.md "Performance
-- adjustment"), in file order (tier_no) within a version; a version without tiers has no row.
-- The caller picks the version in force on each month's last day (the latest valid_from <= it),
-- as metrics/bonus_tiers.sql does for one day: read once for every month of a period.
SELECT valid_from, tier_no, min_score, max_score, labor_adjustment
FROM policy_bonus_tiers
WHERE manufacturer_id = $manufacturer_id
ORDER BY valid_from, tier_no;
