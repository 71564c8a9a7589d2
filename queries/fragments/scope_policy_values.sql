-- Fragment: the policy settings the viewer may read, on policy_values rows (manufacturer_id, level,
-- country, region, station_id): those of the brands in its scope (fragments/scope_brands); for a
-- station, of those only the base and the overrides that apply to it (its country, its region
-- within that country — '' for none —, itself).
-- Included by `-- include: fragments/scope_policy_values` as one parenthesised condition.
(
-- include: fragments/scope_brands
    AND ($scope_station IS NULL
         OR level = 'base'
         OR (level = 'country'
             AND country = (SELECT s.country FROM stations s WHERE s.station_id = $scope_station))
         OR (level = 'region'
             AND country = (SELECT s.country FROM stations s WHERE s.station_id = $scope_station)
             AND region = (SELECT coalesce(s.region, '') FROM stations s WHERE s.station_id = $scope_station))
         OR (level = 'station' AND station_id = $scope_station))
)
