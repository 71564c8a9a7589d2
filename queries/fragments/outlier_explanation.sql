-- Fragment: a finding's explanation as shown (the `explanation` of `findings`, docs/DECISIONS.md
-- "Outlier findings name their group's thresholds at reading time"). `r` is a stored finding row
-- (`finding_rows` or `finding_history`), `g` its outlier group (`outlier_groups`, or
-- `outlier_group_history` at a date), left-joined on (manufacturer_id, repair_code), which are set
-- only on outlier findings. An outlier row stores the intervention's own evidence ("Labour 95 min",
-- "Parts cost 120.00"); the group's part (its 95th percentile and size, outlier_groups.sql) is added
-- here, so that a new member of the group rewrites no finding whose flag stays the same.
CASE r.code WHEN 'LABOR_OUTLIER' THEN r.explanation || coalesce(g.labor_evidence, '')
            WHEN 'PARTS_OUTLIER' THEN r.explanation || coalesce(g.parts_evidence, '')
            ELSE r.explanation END
