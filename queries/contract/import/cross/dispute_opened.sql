-- disputes.opened_on ">= the invoice's issued_on" (data-contract.md "disputes").
SELECT d._file, d._row, 'opened_on' AS "column", d.opened_on AS value, 'date order' AS rule,
       'opened_on ' || d.opened_on || ' is before invoice ' || d.invoice_id || ' was issued ('
       || strftime(v.issued_on, '%Y-%m-%d') || '): a dispute cannot be opened before its invoice' AS message
FROM stg_disputes d
JOIN eff_invoices v ON v.invoice_id = d.invoice_id
WHERE try_cast(d.opened_on AS DATE) < v.issued_on
