-- The values the viewer may pick in the shared filters: kind 'manufacturer' | 'country' |
-- 'region' | 'product_category' and the value, taken from the interventions in the viewer's scope
-- (their manufacturer, their station's country and region — '' for none — and product category),
-- so that a filter never offers a brand or territory the viewer has no data for.
-- Read from the month cells of the engine's rollup (rollup_intervention_cells: one cell per
-- manufacturer, month, station, country, region, category... that has interventions), which hold
-- the same combinations as the interventions themselves.
WITH mine AS (
    SELECT DISTINCT manufacturer_id, product_category, country, region
    FROM rollup_intervention_cells
    WHERE
-- include: fragments/scope
)
SELECT DISTINCT 'manufacturer' AS kind, manufacturer_id AS value FROM mine
UNION ALL SELECT DISTINCT 'country', country FROM mine
UNION ALL SELECT DISTINCT 'region', region FROM mine WHERE region <> ''
UNION ALL SELECT DISTINCT 'product_category', product_category FROM mine
ORDER BY kind, value;
