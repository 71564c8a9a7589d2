-- Manufacturers that define bonus_tiers in at least one policy version, within the scope
-- (a station sees the manufacturers it has interventions for).
SELECT DISTINCT t.manufacturer_id
FROM policy_bonus_tiers t
WHERE
-- include: fragments/scope_brands
ORDER BY t.manufacturer_id;
