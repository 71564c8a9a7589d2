-- Format of a station's country (data-contract.md "stations"): ISO 3166-1 alpha-2, two capital letters.
SELECT _file, _row, 'country' AS "column", country AS value, 'country code' AS rule,
       '''' || country || ''' is not an ISO 3166-1 alpha-2 country code (two capital letters such as FR or DE)' AS message
FROM stg_stations
WHERE country IS NOT NULL AND NOT regexp_full_match(country, '[A-Z]{2}')
