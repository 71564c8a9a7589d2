-- Fragment: the column of a row that names its sender in an ingest by a station or a brand
-- (queries/contract/import/scope/problems.sql): the text 'station_id' for a station's scope,
-- 'manufacturer_id' for a brand's. Included by `-- include: fragments/sender_column` as one
-- parenthesised expression.
(CASE WHEN $scope_station IS NOT NULL THEN 'station_id' ELSE 'manufacturer_id' END)
