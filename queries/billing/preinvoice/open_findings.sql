-- Why an intervention is left out of its pre-invoice: its findings that still count toward its status
-- (not settled in conversation, see engine/decisions.sql), worst severity first, for the station/brand/month
-- of the pre-invoice (same selection as interventions.sql).
SELECT f.intervention_id, f.severity, f.code, coalesce(f.doc_type, '') AS doc_type, f.explanation
FROM findings f
JOIN interventions i USING (intervention_id)
LEFT JOIN finding_decisions d
  ON d.intervention_id = f.intervention_id AND d.code = f.code AND d.doc_type = coalesce(f.doc_type, '')
WHERE i.station_id = $station_id
  AND i.manufacturer_id = $manufacturer_id
  AND i.completed_on BETWEEN $month_start AND $month_end
  AND NOT coalesce(d.settled, false)
  AND f.severity IN ('blocked', 'review')
ORDER BY f.intervention_id, CASE f.severity WHEN 'blocked' THEN 0 ELSE 1 END, f.code, coalesce(f.doc_type, '');
