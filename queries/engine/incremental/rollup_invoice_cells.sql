DELETE FROM rollup_invoice_cells c USING eng_cell e
WHERE c.manufacturer_id = e.manufacturer_id AND c.month = e.month AND c.station_id = e.station_id;
