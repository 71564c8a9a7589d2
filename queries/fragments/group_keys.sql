-- Fragment: the grouping keys of queries/metrics/metric_table.sql, as select-list items k_station,
-- k_manufacturer, k_country, k_region, k_month, k_category: a cell's key when the boolean $g_<key>
-- asks for it, else the constant '' (so that the parts of the metric table join on every key).
-- Included by `-- include: fragments/group_keys` at the end of a select list.
CASE WHEN $g_station THEN station_id ELSE '' END AS k_station,
CASE WHEN $g_manufacturer THEN manufacturer_id ELSE '' END AS k_manufacturer,
CASE WHEN $g_country THEN country ELSE '' END AS k_country,
CASE WHEN $g_region THEN region ELSE '' END AS k_region,
CASE WHEN $g_month THEN month ELSE '' END AS k_month,
CASE WHEN $g_category THEN product_category ELSE '' END AS k_category
