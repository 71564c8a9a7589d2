-- Manufacturers that define bonus_tiers in at least one policy version, within the scope
-- (a station sees the manufacturers it has interventions for).
SELECT DISTINCT t.manufacturer_id
FROM policy_bonus_tiers t
WHERE ($scope_manufacturer IS NULL OR t.manufacturer_id = $scope_manufacturer)
  AND ($scope_station IS NULL OR EXISTS (
        SELECT 1 FROM rollup_intervention_cells c
        WHERE c.grain = 'M' AND c.manufacturer_id = t.manufacturer_id AND c.station_id = $scope_station))
ORDER BY t.manufacturer_id;
