-- Summed calculated labour (intervention_amounts.labor_amount) of each station's interventions of
-- the manufacturer completed in each month, with a policy in force (policy-format.md "Performance
-- adjustment"), per currency, within the scope. $month NULL: every month.
SELECT manufacturer_id, station_id, month, currency, sum(n) AS interventions, sum(labor_sum) AS labor_amount
FROM rollup_intervention_cells
WHERE grain = 'M'
  AND manufacturer_id = $manufacturer_id
  AND ($month IS NULL OR month = $month)
  AND
-- include: fragments/scope
GROUP BY ALL
ORDER BY station_id, month, currency;
