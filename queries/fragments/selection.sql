-- Fragment: the viewer's selection on rows that carry an intervention's attribution (columns
-- intervention_id, manufacturer_id, station_id, completed_on, country, region — '' for none —
-- product_category): the scope (fragments/scope) and the filters (analytics/core/filters.py: period
-- on completed_on, lists NULL = no filter, $invoiced_blocked NULL = no filter, else whether the
-- intervention was invoiced while blocked, fragments/invoiced_blocked).
-- Included by `-- include: fragments/selection` as one parenthesised condition.
(
-- include: fragments/scope
    AND ($date_from IS NULL OR completed_on >= $date_from)
    AND ($date_to IS NULL OR completed_on <= $date_to)
    AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
    AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
    AND ($countries IS NULL OR list_contains($countries, country))
    AND ($regions IS NULL OR list_contains($regions, region))
    AND ($product_categories IS NULL OR list_contains($product_categories, product_category))
    AND ($invoiced_blocked IS NULL OR
         (intervention_id IN (SELECT intervention_id FROM intervention_facts
                              WHERE $invoiced_blocked IS NOT NULL AND
-- include: fragments/invoiced_blocked
                             )) = $invoiced_blocked)
)
