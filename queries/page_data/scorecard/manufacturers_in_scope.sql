-- The manufacturers the viewer may see that have at least one intervention.
SELECT DISTINCT manufacturer_id
FROM interventions
WHERE
-- include: fragments/scope
ORDER BY manufacturer_id
