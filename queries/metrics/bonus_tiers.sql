-- bonus_tiers of the manufacturer's policy version in force on $on (policy-format.md
-- "Performance adjustment": the tiers of the version in force on the month's last day), in file
-- order (tier_no): the first tier with min_score <= score (and score < max_score when given) wins.
SELECT tier_no, min_score, max_score, labor_adjustment
FROM policy_bonus_tiers
WHERE manufacturer_id = $manufacturer_id
  AND valid_from = (SELECT max(valid_from) FROM policy_versions
                    WHERE manufacturer_id = $manufacturer_id AND valid_from <= $on)
ORDER BY tier_no;
