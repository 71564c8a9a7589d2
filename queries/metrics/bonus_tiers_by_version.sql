-- bonus_tiers of every policy version of the manufacturer (policy-format.md "Performance
-- adjustment"), in file order (tier_no) within a version; a version without tiers has one row
-- with the tier columns NULL (it is in force all the same, and pays no adjustment). The caller
-- picks the version in force on each month's last day (the latest valid_from <= it): read once
-- for every month of a period, as metrics/score_weights_by_version.sql.
SELECT v.valid_from, t.tier_no, t.min_score, t.max_score, t.labor_adjustment
FROM policy_versions v
LEFT JOIN policy_bonus_tiers t ON t.manufacturer_id = v.manufacturer_id AND t.valid_from = v.valid_from
WHERE v.manufacturer_id = $manufacturer_id
ORDER BY v.valid_from, t.tier_no;
