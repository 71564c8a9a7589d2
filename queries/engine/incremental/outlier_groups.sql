-- The incremental refresh of the outlier thresholds, first step (analytics/engine/outlier_bands.py runs the
-- rest): the changed rows' values move from their old group to their new one in `outlier_values` and in
-- the bands (docs/ENGINE.md "Outlier bands"), and eng_band_cut lists the (group, measure) pairs whose
-- band no longer holds the percentile's two ranks, or grew too wide: they are cut again from their values.

-- The thresholds of the changed rows' groups, as they were (compared after the refresh: a group that moved
-- re-flags the members that cross, incremental/findings.sql).
CREATE OR REPLACE TEMP TABLE eng_group_old AS
SELECT * FROM outlier_groups SEMI JOIN eng_group USING (manufacturer_id, repair_code);

DELETE FROM outlier_groups g USING eng_group e
WHERE g.manufacturer_id = e.manufacturer_id AND g.repair_code = e.repair_code;

-- include: fragments/outlier_group_collision
;

CREATE OR REPLACE TEMP TABLE eng_values_new AS
-- include: fragments/outlier_values_rows
;

-- Each (group, measure, value)'s change of count: the changed rows' old values leave, their new ones come.
CREATE OR REPLACE TEMP TABLE eng_value_change AS
WITH old AS (
    SELECT group_key, labor, parts FROM outlier_values WHERE iv_key IN (SELECT iv_key FROM eng_iv_row)
), moves AS (
    SELECT group_key, 0 AS measure, labor AS v, -1 AS c FROM old
    UNION ALL SELECT group_key, 1, parts, -1 FROM old
    UNION ALL SELECT group_key, 0, labor, 1 FROM eng_values_new
    UNION ALL SELECT group_key, 1, parts, 1 FROM eng_values_new
)
SELECT group_key, CAST(measure AS UTINYINT) AS measure, v, CAST(sum(c) AS BIGINT) AS c
FROM moves
GROUP BY group_key, measure, v
HAVING sum(c) <> 0;

DELETE FROM outlier_values WHERE iv_key IN (SELECT iv_key FROM eng_iv_row);

INSERT INTO outlier_values SELECT * FROM eng_values_new;

-- A pair seen for the first time gets an unbounded band (cut when it grows too wide).
INSERT INTO outlier_bands
SELECT DISTINCT group_key, measure, CAST('-infinity' AS DOUBLE), CAST('infinity' AS DOUBLE),
       CAST(0 AS BIGINT), CAST(0 AS BIGINT)
FROM eng_value_change ANTI JOIN outlier_bands USING (group_key, measure);

-- Values outside the band change its counts below and above.
UPDATE outlier_bands b SET below = b.below + x.below, above = b.above + x.above
FROM (
    SELECT c.group_key, c.measure,
           CAST(coalesce(sum(c.c) FILTER (WHERE c.v < b.lo), 0) AS BIGINT) AS below,
           CAST(coalesce(sum(c.c) FILTER (WHERE c.v > b.hi), 0) AS BIGINT) AS above
    FROM eng_value_change c JOIN outlier_bands b USING (group_key, measure)
    GROUP BY c.group_key, c.measure
) x
WHERE b.group_key = x.group_key AND b.measure = x.measure;

-- Values within it change their own count (a count at 0 goes).
CREATE OR REPLACE TEMP TABLE eng_band_change AS
SELECT c.group_key, c.measure, c.v, coalesce(m.n, 0) + c.c AS n
FROM eng_value_change c
JOIN outlier_bands b ON b.group_key = c.group_key AND b.measure = c.measure AND c.v BETWEEN b.lo AND b.hi
LEFT JOIN outlier_band_values m ON m.group_key = c.group_key AND m.measure = c.measure AND m.v = c.v;

DELETE FROM outlier_band_values m USING eng_band_change c
WHERE m.group_key = c.group_key AND m.measure = c.measure AND m.v = c.v;

INSERT INTO outlier_band_values SELECT group_key, measure, v, n FROM eng_band_change WHERE n > 0;

-- a count below 0 would mean the bands no longer match outlier_values: refused, never written
SELECT error('outlier band ' || group_key || '/' || measure || ' would count ' || n || ' values ' || v)
FROM eng_band_change WHERE n < 0;
SELECT error('outlier band ' || group_key || '/' || measure || ' would count ' || below || ' values below, '
             || above || ' above')
FROM outlier_bands WHERE below < 0 OR above < 0;

-- The changed groups' pairs: their size, and how much of it the band holds.
CREATE OR REPLACE TEMP TABLE eng_band_state AS
WITH keys AS (
    SELECT
-- include: fragments/outlier_group_key
           AS group_key FROM eng_group
), held AS (
    SELECT group_key, measure, CAST(sum(n) AS BIGINT) AS n, count(*) AS distinct_values
    FROM outlier_band_values WHERE group_key IN (SELECT group_key FROM keys)
    GROUP BY group_key, measure
)
SELECT b.group_key, b.measure, b.below, b.above,
       coalesce(h.n, 0) AS band_n, coalesce(h.distinct_values, 0) AS band_values,
       b.below + coalesce(h.n, 0) + b.above AS total
FROM outlier_bands b LEFT JOIN held h USING (group_key, measure)
WHERE b.group_key IN (SELECT group_key FROM keys);

-- a group left with no member has no band
DELETE FROM outlier_bands b USING eng_band_state s
WHERE b.group_key = s.group_key AND b.measure = s.measure AND s.total = 0;

CREATE OR REPLACE TEMP TABLE eng_band_cut AS
WITH positioned AS (
    SELECT *,
-- include: fragments/p95_position
           AS position
    FROM eng_band_state WHERE total > 0
)
SELECT s.group_key, s.measure
FROM positioned s CROSS JOIN eng_band_width w
WHERE floor(s.position) < s.below
   OR ceil(s.position) >= s.below + s.band_n
   OR s.band_values > 4 * w.half_width;
