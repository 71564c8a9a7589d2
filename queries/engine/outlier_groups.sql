-- Outlier thresholds (verification.md LABOR_OUTLIER, PARTS_OUTLIER): per manufacturer and repair code
-- with at least 20 interventions, their number and the 95th percentiles (linear interpolation, as
-- quantile_cont) of labor_minutes and of parts_cost (empty = 0), in DOUBLE: quantile_cont over a DECIMAL
-- rounds the interpolated value to the column's scale (a DOUBLE interpolation strictly between two data
-- values never equals one of them, so the strict comparison in findings.sql stays exact).
-- labor_evidence / parts_evidence: the group's part of an outlier finding's explanation (the percentile it
-- was compared with and the group's size), added to the finding's own evidence when it is read
-- (fragments/outlier_explanation): written once per group, not once per finding.
--
-- A 95th percentile reads only a group's highest values, so each group keeps its *tail*
-- (docs/ENGINE.md "Outlier tails"): the interventions whose labour or parts value is at or above the
-- group's cut (`outlier_cuts`, its 90th percentile when the cut was last set). A refresh then reads the
-- tails, not the group: the tail holds the ranks the percentile interpolates between, because a cut at
-- the 90th percentile lies at or below them for 20 interventions or more (0.9 n <= 0.95 (n - 1)). The
-- incremental pre-step keeps each tail exact (a changed intervention leaves its tail and re-enters the
-- tail of its current group if it reaches the cut) and re-cuts a group (eng_tail_group) that is new or
-- whose tail would no longer reach its percentile's ranks. The tails depend on when each group was last
-- cut, so they may differ from a full rebuild's; the thresholds computed from them may not.
--
-- Scope: the groups in eng_group; the cuts of eng_tail_group (every group in a full refresh); the tail
-- rows of eng_iv_row and of eng_tail_group. A group whose thresholds move re-flags the interventions
-- that cross them (incremental/findings.sql).
CREATE OR REPLACE TABLE outlier_cuts AS
SELECT manufacturer_id, repair_code,
       quantile_disc(CAST(labor_minutes AS DOUBLE), 0.9) AS labor_cut,
       quantile_disc(CAST(coalesce(parts_cost, 0) AS DOUBLE), 0.9) AS parts_cut
FROM interventions
SEMI JOIN eng_tail_group USING (manufacturer_id, repair_code)
GROUP BY manufacturer_id, repair_code;

CREATE OR REPLACE TABLE outlier_tails AS
WITH entering AS (
    -- the changed interventions of the groups kept, and every intervention of the groups re-cut
    SELECT * FROM interventions i
    WHERE iv_key IN (SELECT iv_key FROM eng_iv_row)
      AND NOT EXISTS (SELECT 1 FROM eng_tail_group e
                      WHERE e.manufacturer_id = i.manufacturer_id AND e.repair_code = i.repair_code)
    UNION ALL
    SELECT * FROM interventions SEMI JOIN eng_tail_group USING (manufacturer_id, repair_code)
)
SELECT i.manufacturer_id, i.repair_code, i.iv_key,
       CAST(i.labor_minutes AS DOUBLE) AS labor, CAST(coalesce(i.parts_cost, 0) AS DOUBLE) AS parts
FROM entering i
JOIN outlier_cuts c USING (manufacturer_id, repair_code)
WHERE CAST(i.labor_minutes AS DOUBLE) >= c.labor_cut OR CAST(coalesce(i.parts_cost, 0) AS DOUBLE) >= c.parts_cut;

CREATE OR REPLACE TABLE outlier_groups AS
WITH sizes AS (
    -- rn: the percentile's position among the group's values in ascending order, 0-based, as quantile_cont
    -- computes it; it interpolates between positions floor(rn) and ceil(rn), here their descending
    -- ranks (0 = the largest value), which the tail holds.
    SELECT manufacturer_id, repair_code, n, rn,
           n - 1 - CAST(floor(rn) AS BIGINT) AS lo_rank, n - 1 - CAST(ceil(rn) AS BIGINT) AS hi_rank
    FROM (SELECT manufacturer_id, repair_code, count(*) AS n,
                 CAST(count(*) - 1 AS DOUBLE) * CAST(0.95 AS DOUBLE) AS rn
          FROM interventions
          SEMI JOIN eng_group USING (manufacturer_id, repair_code)
          GROUP BY manufacturer_id, repair_code
          HAVING count(*) >= 20)
), tail_values AS (
    -- each tail's distinct values per measure, with how many interventions have each
    SELECT t.manufacturer_id, t.repair_code, 'labor' AS measure, t.labor AS value, count(*) AS k
    FROM outlier_tails t JOIN outlier_cuts c USING (manufacturer_id, repair_code)
    WHERE t.labor >= c.labor_cut
      AND EXISTS (SELECT 1 FROM sizes s WHERE s.manufacturer_id = t.manufacturer_id AND s.repair_code = t.repair_code)
    GROUP BY ALL
    UNION ALL
    SELECT t.manufacturer_id, t.repair_code, 'parts', t.parts, count(*)
    FROM outlier_tails t JOIN outlier_cuts c USING (manufacturer_id, repair_code)
    WHERE t.parts >= c.parts_cut
      AND EXISTS (SELECT 1 FROM sizes s WHERE s.manufacturer_id = t.manufacturer_id AND s.repair_code = t.repair_code)
    GROUP BY ALL
), ranked AS (
    -- the descending ranks [first_rank, first_rank + k) of each value's copies
    SELECT *, sum(k) OVER (PARTITION BY manufacturer_id, repair_code, measure ORDER BY value DESC
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS above
    FROM tail_values
), percentiles AS (
    -- quantile_cont's interpolation, in its own arithmetic: lo * (1 - d) + hi * d, or lo when d = 0
    SELECT s.manufacturer_id, s.repair_code, v.measure, s.n,
           CASE WHEN s.rn = floor(s.rn) THEN max(v.value) FILTER (WHERE s.lo_rank BETWEEN coalesce(v.above, 0) AND coalesce(v.above, 0) + v.k - 1)
                ELSE max(v.value) FILTER (WHERE s.lo_rank BETWEEN coalesce(v.above, 0) AND coalesce(v.above, 0) + v.k - 1)
                         * (1.0 - (s.rn - floor(s.rn)))
                     + max(v.value) FILTER (WHERE s.hi_rank BETWEEN coalesce(v.above, 0) AND coalesce(v.above, 0) + v.k - 1)
                         * (s.rn - floor(s.rn)) END AS p95
    FROM sizes s
    JOIN ranked v USING (manufacturer_id, repair_code)
    GROUP BY s.manufacturer_id, s.repair_code, v.measure, s.n, s.rn, s.lo_rank, s.hi_rank
)
SELECT manufacturer_id, repair_code, n, p95_labor, p95_parts,
       ' is above the 95th percentile (' || vf_num(CAST(round(p95_labor, 2) AS DECIMAL(18,2))) || ' min) of the '
       || n || ' interventions of ' || manufacturer_id || ' with repair code ' || repair_code || '.' AS labor_evidence,
       ' is above the 95th percentile (' || CAST(CAST(round(p95_parts, 2) AS DECIMAL(18,2)) AS VARCHAR) || ') of the '
       || n || ' interventions of ' || manufacturer_id || ' with repair code ' || repair_code || '.' AS parts_evidence
FROM (
    SELECT manufacturer_id, repair_code, n,
           max(p95) FILTER (WHERE measure = 'labor') AS p95_labor,
           max(p95) FILTER (WHERE measure = 'parts') AS p95_parts
    FROM percentiles
    GROUP BY manufacturer_id, repair_code, n
);
