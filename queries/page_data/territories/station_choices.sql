-- The stations the viewer may pick in the shared filters, with their names: those with
-- interventions in the viewer's scope (month cells of the engine's rollup), so a station user is
-- offered its own station only. Sorted by id.
SELECT s.station_id, s.name
FROM stations s
WHERE s.station_id IN (
    SELECT DISTINCT station_id
    FROM rollup_intervention_cells
    WHERE
-- include: fragments/scope
)
ORDER BY s.station_id;
