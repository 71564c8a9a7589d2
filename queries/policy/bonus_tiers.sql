-- Performance bonus/malus tiers (policy-format.md, base only) of every policy version the viewer
-- may see, in file order (the first matching tier wins): min_score <= score < max_score (no
-- upper bound when max_score is NULL), labor_adjustment a share of the month's calculated labour.
-- Scope: as queries/policies/versions.sql (bonus tiers are base values: a station that may see a
-- manufacturer's policy sees its tiers).
SELECT t.manufacturer_id, t.valid_from, t.tier_no, t.min_score, t.max_score, t.labor_adjustment
FROM policy_bonus_tiers t
WHERE
-- include: fragments/scope_brands
ORDER BY t.manufacturer_id, t.valid_from, t.tier_no;
