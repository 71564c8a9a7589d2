-- Fragment: the viewer's scope (analytics/access/scope.py) on a row's manufacturer_id and
-- station_id: a manufacturer sees its own brand's rows, a station its own station's rows, a
-- manager every row ($scope_manufacturer, $scope_station: NULL = unrestricted). A row whose
-- manufacturer_id or station_id is NULL is seen by a manager only.
-- The one place a query names the scope: every query includes this fragment (directly, or through
-- fragments/selection, fragments/cell_period_and_territory, fragments/scope_brands), as one
-- parenthesised condition: `-- include: fragments/scope`.
(
        ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
    AND ($scope_station IS NULL OR station_id = $scope_station)
)
