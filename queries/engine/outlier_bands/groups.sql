-- The changed groups' rows of outlier_groups from their interpolated thresholds (eng_threshold), written
-- as the full refresh writes them (fragments/outlier_group_rows).
INSERT INTO outlier_groups
WITH groups AS (
    SELECT manufacturer_id, repair_code,
-- include: fragments/outlier_group_key
           AS group_key FROM eng_group
), v AS (
    SELECT group_key, any_value(total) AS n,
           any_value(threshold) FILTER (WHERE measure = 0) AS p95_labor,
           any_value(threshold) FILTER (WHERE measure = 1) AS p95_parts
    FROM eng_threshold
    GROUP BY group_key
)
-- include: fragments/outlier_group_rows
;
