-- Cross-column rules of an intervention (data-contract.md "interventions"):
-- completed_on >= requested_on; submitted_on >= completed_on. Rows whose dates are not
-- valid are left to the column rules (try_cast gives NULL, the comparison is not true).
SELECT _file, _row, 'completed_on' AS "column", completed_on AS value, 'date order' AS rule,
       'completed_on ' || completed_on || ' is before requested_on ' || requested_on
       || ': a repair cannot end before the request reached the station' AS message
FROM stg_interventions
WHERE try_cast(completed_on AS DATE) < try_cast(requested_on AS DATE)
UNION ALL
SELECT _file, _row, 'submitted_on', submitted_on, 'date order',
       'submitted_on ' || submitted_on || ' is before completed_on ' || completed_on
       || ': a report cannot be submitted before the repair ended'
FROM stg_interventions
WHERE try_cast(submitted_on AS DATE) < try_cast(completed_on AS DATE)
