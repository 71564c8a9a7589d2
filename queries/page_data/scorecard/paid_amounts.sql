-- Paid amount of one station's invoices to one manufacturer: the sum of invoices.paid_amount
-- by currency, over invoices issued in the period (invoice figures follow issued_on, metrics.md),
-- with the number of invoices and of paid ones.
SELECT v.currency, count(*) AS invoices, count(v.paid_on) AS paid_invoices,
       coalesce(sum(v.paid_amount), 0) AS paid_amount
FROM invoices v
WHERE v.station_id = $station_id AND v.manufacturer_id = $manufacturer_id
  AND
-- include: fragments/scope
  AND ($date_from IS NULL OR v.issued_on >= $date_from)
  AND ($date_to IS NULL OR v.issued_on <= $date_to)
GROUP BY ALL
ORDER BY currency;
