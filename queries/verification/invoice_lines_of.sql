-- The invoice lines billing one intervention in the viewer's scope (the requested amount is their sum).
SELECT l.invoice_id, l.line_no, l.kind, l.amount, l.vat_rate, v.issued_on, v.currency, v.paid_on
FROM invoice_lines l
JOIN invoices v ON v.invoice_id = l.invoice_id
JOIN (SELECT * FROM interventions WHERE
-- include: fragments/scope
) i ON i.intervention_id = l.intervention_id
WHERE l.intervention_id = $intervention_id
ORDER BY v.issued_on, l.invoice_id, l.line_no;
