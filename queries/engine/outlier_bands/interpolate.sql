-- The thresholds of the pairs whose fraction is $fraction: quantile_cont itself over their two values with
-- that fraction, so that the interpolation is DuckDB's own to the last bit (it computes a fused
-- multiply-add, docs/DECISIONS.md). Over two values v0 <= v1, quantile_cont(v, d) interpolates v0 and v1
-- with the fraction (2 - 1) * d - 0 = d: the same operation as over the whole group.
INSERT INTO eng_threshold
SELECT group_key, measure, total, quantile_cont(v, $fraction) AS threshold
FROM (
    SELECT group_key, measure, total, lo_v AS v FROM eng_threshold_pair WHERE fraction = $fraction
    UNION ALL
    SELECT group_key, measure, total, hi_v AS v FROM eng_threshold_pair WHERE fraction = $fraction
)
GROUP BY group_key, measure, total;
