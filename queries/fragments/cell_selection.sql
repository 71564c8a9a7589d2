-- Fragment: the viewer's whole selection on the engine's intervention cells: the period, scope
-- and territory of fragments/cell_period_and_territory.sql, and the product category filter.
-- Included by `-- include: fragments/cell_selection` as one parenthesised condition.
(
-- include: fragments/cell_period_and_territory
    AND ($product_categories IS NULL OR list_contains($product_categories, product_category))
)
