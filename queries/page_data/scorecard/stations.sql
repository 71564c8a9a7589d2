-- The stations a viewer may open a scorecard for: every (station, manufacturer) pair with
-- interventions in the viewer's scope and the filters (period on completed_on), with the
-- station's name and country and its number of interventions for that manufacturer.
-- Counted from the engine's rollup (intervention_cells): whole months from the 'M' cells, the
-- days of partly covered months from the 'D' cells (as metrics/metric_table.sql).
WITH counted AS (
    SELECT station_id, manufacturer_id, sum(n) AS interventions
    FROM intervention_cells
    WHERE
-- include: fragments/cell_selection
    GROUP BY station_id, manufacturer_id
)
SELECT c.station_id, s.name, s.country, c.manufacturer_id, c.interventions::BIGINT AS interventions
FROM counted c
JOIN stations s USING (station_id)
WHERE c.interventions > 0
ORDER BY c.station_id, c.manufacturer_id;
