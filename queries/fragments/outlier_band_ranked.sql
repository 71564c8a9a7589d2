-- Fragment (one statement): the distinct values of the (group, measure) pairs in eng_band_cut, read
-- whole from outlier_values, with their counts, their rank among the pair's distinct values (idx, from 1)
-- and the band to keep: the distinct values from idx lo_idx to hi_idx, half_width (eng_band_width) on
-- each side of the one holding the 95th percentile's lower rank (fragments/p95_position). Read by
-- fragments/outlier_band_cuts and fragments/outlier_band_members. Measure 0 is labor, 1 parts.
CREATE OR REPLACE TEMP TABLE eng_band_ranked AS
WITH vals AS (
    SELECT group_key, CAST(0 AS UTINYINT) AS measure, labor AS v FROM outlier_values
    WHERE group_key IN (SELECT group_key FROM eng_band_cut WHERE measure = 0)
    UNION ALL
    SELECT group_key, CAST(1 AS UTINYINT) AS measure, parts AS v FROM outlier_values
    WHERE group_key IN (SELECT group_key FROM eng_band_cut WHERE measure = 1)
), counted AS (
    SELECT group_key, measure, v, count(*) AS n FROM vals GROUP BY group_key, measure, v
), ranked AS (
    SELECT *,
           CAST(sum(n) OVER w - n AS BIGINT) AS before,
           row_number() OVER w AS idx,
           CAST(sum(n) OVER p AS BIGINT) AS total,
           count(*) OVER p AS distinct_values
    FROM counted
    WINDOW p AS (PARTITION BY group_key, measure),
           w AS (PARTITION BY group_key, measure ORDER BY v ROWS UNBOUNDED PRECEDING)
), lower_rank AS (
    SELECT *, floor(
-- include: fragments/p95_position
           ) AS lo_rank
    FROM ranked
), centre AS (
    SELECT group_key, measure, idx AS centre
    FROM lower_rank
    WHERE before <= lo_rank AND lo_rank < before + n
)
SELECT r.group_key, r.measure, r.v, r.n, r.idx, r.distinct_values,
       c.centre - w.half_width AS lo_idx, c.centre + w.half_width AS hi_idx
FROM ranked r
JOIN centre c USING (group_key, measure)
CROSS JOIN eng_band_width w
