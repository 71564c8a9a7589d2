-- Fragment: the macro vf_num(x), a decimal written without trailing zeros and without float noise
-- (25.000000 -> 25, 0.200000 -> 0.2; exact: the DECIMAL's own text, never a binary float). The
-- one definition of that rule: the export (contract/export/macros.sql) includes it.
-- Included by `-- include: fragments/number_text` as one statement.
CREATE OR REPLACE TEMP MACRO vf_num(x) AS (
    CASE WHEN contains(CAST(x AS VARCHAR), '.')
         THEN rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.')
         ELSE CAST(x AS VARCHAR) END
);
