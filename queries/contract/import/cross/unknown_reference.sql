-- Referential integrity "checked against the store plus the import" (data-contract.md):
-- a reference must name a row of the parent table, in the staged import or in the store.
-- @stg@ / @col@ / @parent_stg@ / @parent@ / @target@ / @name@ / @parent_name@ / @target_name@
-- come from the ForeignKey declarations of analytics/contract.py (a whitelist).
SELECT s._file, s._row, '@name@' AS "column", s.@col@ AS value, 'unknown reference' AS rule,
       'there is no @parent_name@ with @target_name@ ''' || s.@col@ || ''' in the store or in this import' AS message
FROM @stg@ s
WHERE s.@col@ IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM @parent_stg@ p WHERE p.@target@ = s.@col@)
  AND NOT EXISTS (SELECT 1 FROM main.@parent@ p WHERE p.@target@ = s.@col@)
