SELECT station_id, manufacturer_id, month FROM billing_issued_invoices WHERE number = :number
