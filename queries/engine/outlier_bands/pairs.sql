-- For each changed group with at least 20 members and each measure: the two values quantile_cont
-- interpolates, read from the band. Their ranks are the floor and the ceiling of the percentile's position
-- (fragments/p95_position), counted from the band's first value after the `below` values under it; the
-- fraction is the position's part after its floor, as quantile_cont computes it (both DOUBLE).
-- eng_threshold receives the interpolated thresholds (engine/outlier_bands/interpolate).
CREATE OR REPLACE TEMP TABLE eng_threshold_pair AS
WITH positioned AS (
    -- each pair's size as the pre-step counted it (eng_band_state: a band cut again keeps its size), and
    -- `below` as it stands now
    SELECT b.group_key, b.measure, b.below, s.total,
-- include: fragments/p95_position
           AS position
    FROM outlier_bands b JOIN eng_band_state s USING (group_key, measure)
    WHERE s.total >= 20
), ranks AS (
    SELECT *, CAST(floor(position) AS BIGINT) AS lo_rank, CAST(ceil(position) AS BIGINT) AS hi_rank FROM positioned
), cumulative AS (
    -- the members up to and including each band value: its value holds the ranks [upto - n, upto)
    SELECT m.group_key, m.measure, m.v, r.total, r.position, r.lo_rank, r.hi_rank,
           r.below + sum(m.n) OVER (PARTITION BY m.group_key, m.measure ORDER BY m.v ROWS UNBOUNDED PRECEDING) AS upto
    FROM outlier_band_values m JOIN ranks r USING (group_key, measure)
)
SELECT group_key, measure, total, position - lo_rank AS fraction,
       min(v) FILTER (WHERE upto > lo_rank) AS lo_v,
       min(v) FILTER (WHERE upto > hi_rank) AS hi_v
FROM cumulative
GROUP BY group_key, measure, total, position, lo_rank;

-- a rank outside the band would be a threshold guessed: refused (the pre-step cut such pairs again)
SELECT error('outlier band ' || group_key || '/' || measure || ' does not hold its percentile''s ranks')
FROM eng_threshold_pair WHERE lo_v IS NULL OR hi_v IS NULL;

CREATE OR REPLACE TEMP TABLE eng_threshold (group_key UBIGINT, measure UTINYINT, total BIGINT, threshold DOUBLE);
