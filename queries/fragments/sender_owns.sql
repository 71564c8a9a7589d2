-- Fragment: the row is the sender's own, for an ingest by a station or a brand
-- (contract/import/scope/problems.sql): its manufacturer_id is the sender's brand and its
-- station_id the sender's station ($scope_manufacturer / $scope_station, NULL = any). Never NULL.
(
        ($scope_manufacturer IS NULL OR coalesce(manufacturer_id = $scope_manufacturer, false))
    AND ($scope_station IS NULL OR coalesce(station_id = $scope_station, false))
)
