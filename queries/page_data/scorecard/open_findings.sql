-- "What to fix now", findings: the findings (blocked or review severity) of one station's
-- interventions for one manufacturer whose verification status is still blocked or review (not
-- ready: a settled or waived finding no longer holds it), counted by rule code.
-- Period on completed_on; scope as bound parameters.
-- Read from finding_rows, the stored findings (the view findings adds only their explanation, not
-- needed here: its join to outlier_groups made every finding's group be read).
SELECT g.code, g.severity, count(*) AS interventions
FROM (SELECT * FROM intervention_facts WHERE
-- include: fragments/scope
) f
JOIN finding_rows g USING (intervention_id)
WHERE f.station_id = $station_id AND f.manufacturer_id = $manufacturer_id
  AND ($date_from IS NULL OR f.completed_on >= $date_from)
  AND ($date_to IS NULL OR f.completed_on <= $date_to)
  AND f.status IN ('blocked', 'review')
  AND g.severity IN ('blocked', 'review')
GROUP BY g.code, g.severity
ORDER BY CASE g.severity WHEN 'blocked' THEN 0 ELSE 1 END, interventions DESC, g.code;
