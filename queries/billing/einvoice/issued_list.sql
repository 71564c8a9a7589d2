-- Issued invoices and credit notes the viewer may see (NULL scope = everything), newest first.
SELECT i.number, i.type_code, i.station_id, i.manufacturer_id, i.month, i.preinvoice_reference, i.issue_date,
       i.currency, i.payable, i.preceding_number,
       (SELECT c.number FROM billing_issued_invoices c WHERE c.preceding_number = i.number) AS credited_by,
       i.issued_by
FROM billing_issued_invoices i
WHERE (:scope_station IS NULL OR i.station_id = :scope_station)
  AND (:scope_manufacturer IS NULL OR i.manufacturer_id = :scope_manufacturer)
  AND (:month IS NULL OR i.month = :month)
ORDER BY i.issued_at DESC, i.number DESC
