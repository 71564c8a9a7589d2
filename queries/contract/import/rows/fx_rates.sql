-- Rules of an fx_rates row (data-contract.md "fx_rates"): currency is an ISO 4217 code;
-- month is written YYYY-MM; eur_per_unit > 0 (the column rule only checks >= 0).
SELECT _file, _row, 'currency' AS "column", currency AS value, 'currency code' AS rule,
       '''' || currency || ''' is not an ISO 4217 currency code (three capital letters such as PLN)' AS message
FROM stg_fx_rates
WHERE currency IS NOT NULL AND NOT regexp_full_match(currency, '[A-Z]{3}')
UNION ALL
SELECT _file, _row, 'month', month, 'month',
       '''' || month || ''' is not a month written YYYY-MM (for example 2024-03)'
FROM stg_fx_rates
WHERE month IS NOT NULL AND NOT regexp_full_match(month, '[0-9]{4}-(0[1-9]|1[0-2])')
UNION ALL
SELECT _file, _row, 'eur_per_unit', eur_per_unit, 'minimum',
       '''' || eur_per_unit || ''' must be greater than 0'
FROM stg_fx_rates
WHERE try_cast(eur_per_unit AS DECIMAL(18,6)) = 0
