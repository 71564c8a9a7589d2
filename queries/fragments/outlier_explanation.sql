-- Fragment: a finding's explanation as shown (the `explanation` of `findings`, docs/DECISIONS.md
-- "Outlier findings name their group's thresholds at reading time"). `r` is a stored finding row
-- (`finding_rows` or `finding_history`), `g` its outlier group's thresholds (`outlier_groups`, or
-- `outlier_group_history` at a date), left-joined on (manufacturer_id, repair_code), which are set
-- only on outlier findings. An outlier row stores the intervention's own evidence ("Labour 95 min",
-- "Parts cost 120.00"); the group's 95th percentile and size are added here, so that a new member
-- of the group rewrites no finding whose flag stays the same.
CASE WHEN r.code = 'LABOR_OUTLIER' AND g.n IS NOT NULL
     THEN r.explanation || ' is above the 95th percentile ('
          || vf_num(CAST(round(g.p95_labor, 2) AS DECIMAL(18,2))) || ' min) of the ' || g.n
          || ' interventions of ' || g.manufacturer_id || ' with repair code ' || g.repair_code || '.'
     WHEN r.code = 'PARTS_OUTLIER' AND g.n IS NOT NULL
     THEN r.explanation || ' is above the 95th percentile ('
          || CAST(CAST(round(g.p95_parts, 2) AS DECIMAL(18,2)) AS VARCHAR) || ') of the ' || g.n
          || ' interventions of ' || g.manufacturer_id || ' with repair code ' || g.repair_code || '.'
     ELSE r.explanation
END
