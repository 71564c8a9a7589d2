-- The invoice of a station, brand and month that no credit note cancels (none, or one).
SELECT i.number, i.preinvoice_reference, i.invoice_json
FROM billing_issued_invoices i
WHERE i.station_id = :station_id AND i.manufacturer_id = :manufacturer_id AND i.month = :month
  AND i.type_code IN ('380', '389')
  AND NOT EXISTS (SELECT 1 FROM billing_issued_invoices c WHERE c.preceding_number = i.number)
ORDER BY i.issued_at DESC
LIMIT 1
