-- Take the next number of an issuer's sequence (inside the transaction that stores the invoice).
INSERT INTO billing_invoice_sequences (issuer, last_number) VALUES (:issuer, 1)
ON CONFLICT (issuer) DO UPDATE SET last_number = last_number + 1
RETURNING last_number
