-- invoice_lines.intervention_id: "same manufacturer and station as the invoice"
-- (data-contract.md "invoice_lines"), over the store plus the import.
SELECT l._file, l._row, 'intervention_id' AS "column", l.intervention_id AS value, 'same station' AS rule,
       'intervention ' || l.intervention_id || ' was done by station ' || i.station_id || ' for manufacturer '
       || i.manufacturer_id || ', but invoice ' || l.invoice_id || ' is from station ' || v.station_id
       || ' to manufacturer ' || v.manufacturer_id
       || ': an invoice may only bill interventions of its own station and manufacturer' AS message
FROM stg_invoice_lines l
JOIN eff_invoices v ON v.invoice_id = l.invoice_id
JOIN eff_interventions i ON i.intervention_id = l.intervention_id
WHERE i.station_id <> v.station_id OR i.manufacturer_id <> v.manufacturer_id
