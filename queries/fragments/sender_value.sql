-- Fragment: the value of that column (fragments/sender_column) in a row with station_id and
-- manufacturer_id: its station for a station's scope, its brand for a brand's.
-- Included by `-- include: fragments/sender_value` as one parenthesised expression.
(CASE WHEN $scope_station IS NOT NULL THEN station_id ELSE manufacturer_id END)
