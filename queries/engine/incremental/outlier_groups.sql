-- The thresholds of the changed rows' groups, as they were (compared after the refresh: a group whose
-- thresholds moved re-flags the interventions that cross them).
CREATE OR REPLACE TEMP TABLE eng_group_old AS
SELECT * FROM outlier_groups SEMI JOIN eng_group USING (manufacturer_id, repair_code);

DELETE FROM outlier_groups g USING eng_group e
WHERE g.manufacturer_id = e.manufacturer_id AND g.repair_code = e.repair_code;

-- A changed intervention leaves the tail it was in (it re-enters the tail of its current group, with its
-- current values, if it reaches the cut).
DELETE FROM outlier_tails WHERE iv_key IN (SELECT iv_key FROM eng_iv_row);

-- The groups re-cut (eng_tail_group): a group with no cut yet, and a group of 20 interventions or more
-- whose tail, once its changed interventions have re-entered it, would not hold the descending rank
-- its 95th percentile starts from (outlier_groups.sql), for either measure. A group left empty loses its
-- cut.
CREATE OR REPLACE TEMP TABLE eng_group_size AS
SELECT manufacturer_id, repair_code, count(*) AS n
FROM interventions
SEMI JOIN eng_group USING (manufacturer_id, repair_code)
GROUP BY manufacturer_id, repair_code;

DELETE FROM outlier_cuts c USING eng_group e
WHERE c.manufacturer_id = e.manufacturer_id AND c.repair_code = e.repair_code
  AND NOT EXISTS (SELECT 1 FROM eng_group_size s
                  WHERE s.manufacturer_id = c.manufacturer_id AND s.repair_code = c.repair_code);

CREATE OR REPLACE TEMP TABLE eng_tail_group AS
WITH held AS (
    SELECT t.manufacturer_id, t.repair_code,
           count(*) FILTER (WHERE t.labor >= c.labor_cut) AS labor_held,
           count(*) FILTER (WHERE t.parts >= c.parts_cut) AS parts_held
    FROM (SELECT manufacturer_id, repair_code, labor, parts
          FROM outlier_tails SEMI JOIN eng_group USING (manufacturer_id, repair_code)
          UNION ALL
          SELECT manufacturer_id, repair_code, CAST(labor_minutes AS DOUBLE), CAST(coalesce(parts_cost, 0) AS DOUBLE)
          FROM interventions WHERE iv_key IN (SELECT iv_key FROM eng_iv_row)) t
    JOIN outlier_cuts c USING (manufacturer_id, repair_code)
    GROUP BY t.manufacturer_id, t.repair_code
)
SELECT s.manufacturer_id, s.repair_code
FROM eng_group_size s
LEFT JOIN outlier_cuts c USING (manufacturer_id, repair_code)
LEFT JOIN held h USING (manufacturer_id, repair_code)
WHERE c.manufacturer_id IS NULL
   OR (s.n >= 20 AND least(coalesce(h.labor_held, 0), coalesce(h.parts_held, 0))
                     <= s.n - 1 - CAST(floor(CAST(s.n - 1 AS DOUBLE) * CAST(0.95 AS DOUBLE)) AS BIGINT));

DELETE FROM outlier_cuts c USING eng_tail_group e
WHERE c.manufacturer_id = e.manufacturer_id AND c.repair_code = e.repair_code;

DELETE FROM outlier_tails t USING eng_tail_group e
WHERE t.manufacturer_id = e.manufacturer_id AND t.repair_code = e.repair_code;
