-- First and last completed_on of a manufacturer's interventions within the optional bounds
-- (metrics.md "Performance score": with no bound given, the period spans the selection's first to
-- last completed_on). Read from the day-grain cells of rollup_intervention_cells.
SELECT min(day_from) AS first_day, max(day_to) AS last_day
FROM rollup_intervention_cells
WHERE grain = 'D'
  AND manufacturer_id = $manufacturer_id
  AND ($date_from IS NULL OR day_from >= $date_from)
  AND ($date_to IS NULL OR day_to <= $date_to);
