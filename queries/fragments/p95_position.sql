-- Fragment: the position of the 95th percentile among `total` sorted values, 0-based, as DuckDB's
-- quantile_cont computes it: (n - 1) * q in DOUBLE, its floor and ceiling the two values interpolated
-- (engine/outlier_groups, the outlier bands). q is the DOUBLE of the literal 0.95, as quantile_cont reads it.
CAST(total - 1 AS DOUBLE) * CAST(0.95 AS DOUBLE)
