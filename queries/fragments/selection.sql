-- Fragment: the viewer's selection on rows that carry an intervention's attribution (columns
-- manufacturer_id, station_id, completed_on, country, region — '' for none — product_category):
-- the scope (fragments/scope) and
-- the filters (analytics/filters.py: period on completed_on, lists NULL = no filter).
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
)
