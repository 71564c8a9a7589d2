-- Fragment: the viewer's selection on the engine's cells (grain 'M' month cells and 'D' day
-- cells: intervention_cells, day_hist, invoice_cells), all but the product category. A cell lies
-- inside [$date_from, $date_to] and is month-grain exactly when its whole month lies inside:
-- whole months from the 'M' cells, the days of partly covered months from the 'D' cells, so any
-- period is exact. Then the scope and the brand, station, country and region filters. Invoice
-- cells have no category: their callers say what a category filter means for them.
-- Included by `-- include: fragments/cell_period_and_territory` as one parenthesised condition.
(
        ($date_from IS NULL OR day_from >= $date_from)
    AND ($date_to IS NULL OR day_to <= $date_to)
    AND (grain = 'M') = (($date_from IS NULL OR month_from >= $date_from)
                         AND ($date_to IS NULL OR month_to <= $date_to))
    -- the same choice of day cells said on their day alone (a month lies wholly inside exactly when
    -- its days lie from the first month start on or after $date_from to the last month end on or
    -- before $date_to), so that the facts of the whole months are never read for day cells: the
    -- day cells' view reads only the facts of the partly covered months' days (zone maps)
    AND (grain = 'M'
         OR ($date_from IS NOT NULL AND day_from < CAST(date_trunc('month', CAST($date_from AS DATE) - 1) + INTERVAL 1 MONTH AS DATE))
         OR ($date_to IS NOT NULL AND day_from > CAST(date_trunc('month', CAST($date_to AS DATE) + 1) - INTERVAL 1 DAY AS DATE)))
    AND
-- include: fragments/scope
    AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
    AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
    AND ($countries IS NULL OR list_contains($countries, country))
    AND ($regions IS NULL OR list_contains($regions, region))
)
