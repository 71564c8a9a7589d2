-- eng_outlier_iv: eng_iv plus the interventions whose outlier flag changes because their group's threshold
-- moved (or the group appeared or went: fewer than 20 interventions is no threshold, no outlier). An
-- intervention outside eng_iv kept its own row and group, and its stored flag is `value > old threshold`
-- (findings.sql), so its flag changes exactly when `value > old` and `value > new` differ: one scan of the
-- changed groups' interventions, no comparison with the stored findings. A group whose size changed but
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
), crossing AS (
    -- the narrow copy of the compared values (outlier_groups.sql), found by the group's integer key
    SELECT v.iv_key
    FROM outlier_values v
    JOIN moved m USING (group_key)
    WHERE coalesce(v.labor > m.old_labor, false) <> coalesce(v.labor > m.new_labor, false)
       OR coalesce(v.parts > m.old_parts, false) <> coalesce(v.parts > m.new_parts, false)
)
SELECT intervention_id, iv_key FROM eng_iv
UNION
SELECT intervention_id, iv_key FROM interventions WHERE iv_key IN (SELECT iv_key FROM crossing);

-- (eng_outlier_iv holds eng_iv: one scope filter the scan can apply, the rest checked on its few rows)
DELETE FROM finding_rows
WHERE iv_key IN (SELECT iv_key FROM eng_outlier_iv)
  AND (code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER') OR iv_key IN (SELECT iv_key FROM eng_iv));
