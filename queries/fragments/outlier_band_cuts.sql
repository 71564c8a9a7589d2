-- Fragment: the outlier_bands rows of eng_band_ranked's pairs: the band's bounds (unbounded, ±infinity,
-- where it reaches the pair's smallest or largest value) and the counts of the values below and above it.
SELECT group_key, measure,
       CASE WHEN min(lo_idx) <= 1 THEN CAST('-infinity' AS DOUBLE)
            ELSE min(v) FILTER (WHERE idx = lo_idx) END AS lo,
       CASE WHEN min(hi_idx) >= min(distinct_values) THEN CAST('infinity' AS DOUBLE)
            ELSE min(v) FILTER (WHERE idx = hi_idx) END AS hi,
       CAST(coalesce(sum(n) FILTER (WHERE idx < lo_idx), 0) AS BIGINT) AS below,
       CAST(coalesce(sum(n) FILTER (WHERE idx > hi_idx), 0) AS BIGINT) AS above
FROM eng_band_ranked
GROUP BY group_key, measure
