SELECT number, station_id, manufacturer_id, invoice_json, ubl_xml, cii_xml, facturx_pdf
FROM billing_issued_invoices WHERE number = :number
