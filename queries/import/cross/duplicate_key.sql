-- "A key that appears twice within one import is an error (both rows are named)"
-- (data-contract.md, "What an import must guarantee"). Every row of a key seen more than
-- once gets a problem listing all the rows (file and row) holding that key.
-- @stg@ is the staging table, @keys@ the key columns (comma-separated), @keytext@ an
-- expression showing the key, @keycol@ the first key column's name: all generated from
-- analytics/contract.py (a whitelist). Rows with an empty key part are left to "required".
SELECT _file, _row, '@keycol@' AS "column", key_text AS value, 'unique key' AS rule,
       'the key ' || key_text || ' appears ' || n || ' times in this import (' || rows || '); '
       || 'each key may appear only once' AS message
FROM (
    SELECT _file, _row, @keytext@ AS key_text,
           count(*) OVER w AS n,
           string_agg(_file || ' row ' || _row, ', ' ORDER BY _file, _row) OVER w AS rows
    FROM @stg@
    WHERE @notnull@
    WINDOW w AS (PARTITION BY @keys@)
)
WHERE n > 1
