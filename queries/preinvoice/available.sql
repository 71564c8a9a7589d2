-- The pre-invoices the viewer may open: one row per station, brand and month (YYYY-MM of completed_on)
-- with interventions, within the scope, with how many interventions are ready (status after decisions)
-- and how many are left out. Newest month first.
SELECT strftime(i.completed_on, '%Y-%m') AS month, i.station_id, i.manufacturer_id,
       count(*) AS interventions,
       count(*) FILTER (WHERE s.status = 'ready') AS ready,
       count(*) FILTER (WHERE s.status <> 'ready') AS left_out
FROM interventions i
JOIN intervention_status s USING (intervention_id)
WHERE ($scope_manufacturer IS NULL OR i.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR i.station_id = $scope_station)
  AND ($month IS NULL OR strftime(i.completed_on, '%Y-%m') = $month)
GROUP BY ALL
ORDER BY month DESC, i.station_id, i.manufacturer_id;
