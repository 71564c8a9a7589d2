-- Fragment: the brands in the viewer's scope, on a row's manufacturer_id: a manufacturer its own
-- brand, a station the brands it has done interventions for, a manager every brand. For rows that
-- belong to a brand rather than to a station (policies, bonus tiers).
-- Included by `-- include: fragments/scope_brands` as one parenthesised condition.
(
        ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
    AND ($scope_station IS NULL OR manufacturer_id IN (
            SELECT i.manufacturer_id FROM interventions i WHERE i.station_id = $scope_station))
)
