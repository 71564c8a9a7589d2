-- Rules of an invoice row (data-contract.md "invoices"): currency is an ISO 4217 code
-- (three capital letters); paid_on >= issued_on.
SELECT _file, _row, 'currency' AS "column", currency AS value, 'currency code' AS rule,
       '''' || currency || ''' is not an ISO 4217 currency code (three capital letters such as EUR or PLN)' AS message
FROM stg_invoices
WHERE currency IS NOT NULL AND NOT regexp_full_match(currency, '[A-Z]{3}')
UNION ALL
SELECT _file, _row, 'paid_on', paid_on, 'date order',
       'paid_on ' || paid_on || ' is before issued_on ' || issued_on || ': an invoice cannot be paid before it is issued'
FROM stg_invoices
WHERE try_cast(paid_on AS DATE) < try_cast(issued_on AS DATE)
