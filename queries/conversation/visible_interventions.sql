-- Of the listed intervention ids ($intervention_ids), those in the viewer's scope (the brand and
-- station of the intervention, fragments/scope). An id no longer in the store is visible to
-- managers only, as in entries.sql.
SELECT intervention_id
FROM (
    SELECT q.intervention_id, i.manufacturer_id, i.station_id
    FROM (SELECT DISTINCT unnest(CAST($intervention_ids AS VARCHAR[])) AS intervention_id) q
    LEFT JOIN interventions i USING (intervention_id)
)
WHERE
-- include: fragments/scope
;
