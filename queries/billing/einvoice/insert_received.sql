INSERT INTO billing_received_invoices (received_at, source, received_by, file_name, file_sha256, container, syntax,
    invoice_number, type_code, preinvoice_reference, station_id, manufacturer_id, month, status, validation_json,
    findings_json, xml)
VALUES (:received_at, :source, :received_by, :file_name, :file_sha256, :container, :syntax, :invoice_number,
    :type_code, :preinvoice_reference, :station_id, :manufacturer_id, :month, :status, :validation_json,
    :findings_json, :xml)
RETURNING received_id
