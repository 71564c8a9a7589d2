-- A decimal written without trailing zeros and without float noise: 0.200000 -> 0.2,
-- 25.000000 -> 25 (exact: the DECIMAL's own text, never a binary float).
CREATE OR REPLACE TEMP MACRO exp_num(x) AS (
    CASE WHEN contains(CAST(x AS VARCHAR), '.')
         THEN rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.')
         ELSE CAST(x AS VARCHAR) END
);
