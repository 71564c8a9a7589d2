-- Rules of a dispute row (data-contract.md "disputes"): reason is a code written
-- [A-Z][A-Z0-9_]*; resolved_on >= opened_on; outcome required when resolved_on is set.
SELECT _file, _row, 'reason' AS "column", reason AS value, 'reason code' AS rule,
       '''' || reason || ''' is not a reason code: write a rule code such as DOC_MISSING, or OTHER '
       || '(capital letters, digits and _, starting with a letter)' AS message
FROM stg_disputes
WHERE reason IS NOT NULL AND length(reason) <= 1000 AND NOT regexp_full_match(reason, '[A-Z][A-Z0-9_]*')
UNION ALL
SELECT _file, _row, 'resolved_on', resolved_on, 'date order',
       'resolved_on ' || resolved_on || ' is before opened_on ' || opened_on
       || ': a dispute cannot be resolved before it is opened'
FROM stg_disputes
WHERE try_cast(resolved_on AS DATE) < try_cast(opened_on AS DATE)
UNION ALL
SELECT _file, _row, 'outcome', '', 'required when resolved',
       'the dispute is resolved (resolved_on ' || resolved_on || ') but has no outcome: '
       || 'write station, manufacturer, split or withdrawn'
FROM stg_disputes
WHERE resolved_on IS NOT NULL AND outcome IS NULL
