INSERT INTO billing_issued_invoices (number, issuer, sequence_no, type_code, station_id, manufacturer_id, month,
    preinvoice_reference, issue_date, currency, payable, preceding_number, invoice_json, ubl_xml, cii_xml,
    facturx_pdf, issued_by, issued_at)
VALUES (:number, :issuer, :sequence_no, :type_code, :station_id, :manufacturer_id, :month, :preinvoice_reference,
    :issue_date, :currency, :payable, :preceding_number, :invoice_json, :ubl_xml, :cii_xml, :facturx_pdf,
    :issued_by, :issued_at)
