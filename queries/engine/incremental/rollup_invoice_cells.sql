DELETE FROM rollup_invoice_cells c USING eng_month m
WHERE c.manufacturer_id = m.manufacturer_id AND c.month = m.month;
