-- Fragment: the outlier_groups rows from a CTE `v` (group_key, n, p95_labor, p95_parts) and a CTE
-- `groups` (manufacturer_id, repair_code, group_key): each group's thresholds with the group's part of an
-- outlier finding's explanation (engine/outlier_groups).
SELECT g.manufacturer_id, g.repair_code, v.n, v.p95_labor, v.p95_parts,
       ' is above the 95th percentile (' || vf_num(CAST(round(v.p95_labor, 2) AS DECIMAL(18,2))) || ' min) of the '
       || v.n || ' interventions of ' || g.manufacturer_id || ' with repair code ' || g.repair_code || '.' AS labor_evidence,
       ' is above the 95th percentile (' || CAST(CAST(round(v.p95_parts, 2) AS DECIMAL(18,2)) AS VARCHAR) || ') of the '
       || v.n || ' interventions of ' || g.manufacturer_id || ' with repair code ' || g.repair_code || '.' AS parts_evidence
FROM v
JOIN groups g USING (group_key)
