-- Received invoices and their check, as the viewer may see them (NULL scope = everything): a station
-- its own, a brand its own; an invoice whose parties are unknown only to who received it (and managers).
-- :with_unknown adds, to a month's, the received invoices whose month is unknown (unknown reference).
SELECT received_id, received_at, source, received_by, file_name, container, syntax, invoice_number, type_code,
       preinvoice_reference, station_id, manufacturer_id, month, status, validation_json, findings_json
FROM billing_received_invoices
WHERE (:scope_station IS NULL OR station_id = :scope_station)
  AND (:scope_manufacturer IS NULL OR manufacturer_id = :scope_manufacturer)
  AND (:month IS NULL OR month = :month OR (:with_unknown AND month IS NULL))
ORDER BY received_id DESC
