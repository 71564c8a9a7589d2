-- "A key that appears twice within one import is an error (both rows are named)"
-- (data-contract.md, "What an import must guarantee"). Every row of a key seen more than
-- once gets a problem listing all the rows (file and row) holding that key. The keys seen
-- twice are found first by a GROUP BY on the key (cheap), then only their rows are described.
-- @stg@ is the staging table, @keys@ the key expressions as k1, k2.. (comma-separated),
-- @keynames@ the k1, k2.. names, @keytext@ an expression showing the key from k1, k2..,
-- @keycol@ the first key column's name, @notnull@ the rows with a full key: all generated
-- from analytics/contract.py (a whitelist). Rows with an empty key part are left to "required".
WITH keyed AS (
    SELECT _file, _row, @keys@ FROM @stg@ WHERE @notnull@
),
twice_keys AS (
    SELECT @keynames@ FROM keyed GROUP BY ALL HAVING count(*) > 1
),
twice_rows AS (
    SELECT k.* FROM keyed k SEMI JOIN twice_keys USING (@keynames@)
),
twice AS (
    -- the row list is built only for the keys seen twice (an aggregate over every key is slow)
    SELECT @keynames@, count(*) AS n, string_agg(_file || ' row ' || _row, ', ' ORDER BY _file, _row) AS rows
    FROM twice_rows GROUP BY ALL
)
SELECT k._file, k._row, '@keycol@' AS "column", @keytext@ AS value, 'unique key' AS rule,
       'the key ' || @keytext@ || ' appears ' || t.n || ' times in this import (' || t.rows || '); '
       || 'each key may appear only once' AS message
FROM twice_rows k JOIN twice t USING (@keynames@)
ORDER BY k._file, k._row
