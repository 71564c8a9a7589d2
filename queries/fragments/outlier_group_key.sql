-- Fragment: the key of an outlier group (manufacturer_id, repair_code) as one UBIGINT, DuckDB's 64-bit
-- hash of the two (outlier_values.group_key, docs/ENGINE.md). One expression, so that the values stored
-- and the groups looked up are keyed alike; included by engine/outlier_groups and
-- engine/incremental/findings.
hash(manufacturer_id, repair_code)
