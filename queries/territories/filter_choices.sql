-- The values the viewer may pick in the shared filters: kind 'manufacturer' | 'country' |
-- 'region' | 'product_category' and the value, taken from the interventions in the viewer's scope
-- (their manufacturer, their station's country and region — '' for none — and product category),
-- so that a filter never offers a brand or territory the viewer has no data for.
WITH mine AS (
    SELECT i.manufacturer_id, i.product_category, s.country, coalesce(s.region, '') AS region
    FROM interventions i
    JOIN stations s USING (station_id)
    WHERE ($scope_manufacturer IS NULL OR i.manufacturer_id = $scope_manufacturer)
      AND ($scope_station IS NULL OR i.station_id = $scope_station)
)
SELECT DISTINCT 'manufacturer' AS kind, manufacturer_id AS value FROM mine
UNION ALL SELECT DISTINCT 'country', country FROM mine
UNION ALL SELECT DISTINCT 'region', region FROM mine WHERE region <> ''
UNION ALL SELECT DISTINCT 'product_category', product_category FROM mine
ORDER BY kind, value;
