-- eng_outlier_iv: eng_iv plus the interventions whose outlier flag changes because their group's threshold
-- moved (or the group appeared or went: fewer than 20 interventions is no threshold, no outlier). An
-- intervention outside eng_iv kept its own row and group, and its stored flag is `value > old threshold`
-- (findings.sql), so its flag changes exactly when `value > old` and `value > new` differ: no comparison
-- with the stored findings. A group whose size changed but
-- not its thresholds re-flags nobody: a member whose flag stays keeps its row as it is (its stored
-- explanation names only its own evidence, the view `findings` adds the group's current thresholds).
CREATE OR REPLACE TEMP TABLE eng_outlier_iv AS
WITH moved AS (
    SELECT
-- include: fragments/outlier_group_key
           AS group_key,
           o.p95_labor AS old_labor, g.p95_labor AS new_labor, o.p95_parts AS old_parts, g.p95_parts AS new_parts
    FROM eng_group_old o
    FULL JOIN (SELECT * FROM outlier_groups SEMI JOIN eng_group USING (manufacturer_id, repair_code)) g
      USING (manufacturer_id, repair_code)
    WHERE o.p95_labor IS DISTINCT FROM g.p95_labor OR o.p95_parts IS DISTINCT FROM g.p95_parts
), moves AS (
    -- each threshold that moved (measure 0 labor, 1 parts, as in the outlier bands)
    SELECT group_key, 0 AS measure, old_labor AS old_t, new_labor AS new_t FROM moved
    WHERE old_labor IS DISTINCT FROM new_labor
    UNION ALL
    SELECT group_key, 1, old_parts, new_parts FROM moved WHERE old_parts IS DISTINCT FROM new_parts
), located AS (
    -- Between two thresholds, the flag changes for exactly the values in (lower, higher]. When both lie
    -- within the group's outlier band (engine/outlier_groups), the band's distinct values in that interval
    -- are the crossing values, and only members holding one of them are looked up.
    SELECT m.group_key, m.measure, m.old_t, m.new_t,
           least(m.old_t, m.new_t) AS lower_t, greatest(m.old_t, m.new_t) AS higher_t,
           -- (least and greatest skip a NULL: a threshold that appears or goes is never in the band)
           coalesce(m.old_t IS NOT NULL AND m.new_t IS NOT NULL
                    AND least(m.old_t, m.new_t) >= b.lo AND greatest(m.old_t, m.new_t) <= b.hi, false) AS in_band
    FROM moves m LEFT JOIN outlier_bands b ON b.group_key = m.group_key AND b.measure = m.measure
), crossing_values AS (
    SELECT l.group_key, l.measure, v.v
    FROM located l
    JOIN outlier_band_values v ON v.group_key = l.group_key AND v.measure = l.measure
    WHERE l.in_band AND v.v > l.lower_t AND v.v <= l.higher_t
), scanned AS (
    -- a group that gets or loses its thresholds, or a move beyond its band: its members are compared
    SELECT group_key, measure, old_t, new_t FROM located WHERE NOT in_band
), crossing AS (
    -- the narrow copy of the compared values (outlier_groups.sql), found by the group's integer key; a
    -- join with nothing to find reads nothing
    SELECT o.iv_key FROM outlier_values o
    JOIN crossing_values c ON o.group_key = c.group_key AND o.labor = c.v WHERE c.measure = 0
    UNION ALL
    SELECT o.iv_key FROM outlier_values o
    JOIN crossing_values c ON o.group_key = c.group_key AND o.parts = c.v WHERE c.measure = 1
    UNION ALL
    SELECT o.iv_key FROM outlier_values o
    JOIN scanned s USING (group_key)
    WHERE coalesce(CASE s.measure WHEN 0 THEN o.labor ELSE o.parts END > s.old_t, false)
       <> coalesce(CASE s.measure WHEN 0 THEN o.labor ELSE o.parts END > s.new_t, false)
)
SELECT intervention_id, iv_key FROM eng_iv
UNION
SELECT intervention_id, iv_key FROM interventions WHERE iv_key IN (SELECT iv_key FROM crossing);

-- (eng_outlier_iv holds eng_iv: one scope filter the scan can apply, the rest checked on its few rows)
DELETE FROM finding_rows
WHERE iv_key IN (SELECT iv_key FROM eng_outlier_iv)
  AND (code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER') OR iv_key IN (SELECT iv_key FROM eng_iv));
