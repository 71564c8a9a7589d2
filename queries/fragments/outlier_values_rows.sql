-- Fragment: the outlier_values rows of the interventions in eng_iv_row (engine/outlier_groups): each
-- intervention's group key and its two compared values in DOUBLE (empty parts = 0).
SELECT
-- include: fragments/outlier_group_key
       AS group_key, iv_key,
       CAST(labor_minutes AS DOUBLE) AS labor, CAST(coalesce(parts_cost, 0) AS DOUBLE) AS parts
FROM interventions
WHERE iv_key IN (SELECT iv_key FROM eng_iv_row)
