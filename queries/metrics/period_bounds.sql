-- First and last completed_on of a manufacturer's interventions within the optional bounds
-- (metrics.md "Performance score": with no bound given, the period spans the selection's first to
-- last completed_on). intervention_facts is sorted by manufacturer and completed_on.
SELECT min(completed_on) AS first_day, max(completed_on) AS last_day
FROM intervention_facts
WHERE manufacturer_id = $manufacturer_id
  AND ($date_from IS NULL OR completed_on >= $date_from)
  AND ($date_to IS NULL OR completed_on <= $date_to);
