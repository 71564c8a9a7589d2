-- The tables as they will be once the import lands ("the store plus the import"): staged rows
-- (text, trimmed) replace store rows with the same key. Used by the cross-table rules only;
-- staged rows keep their file and row so a problem can point at them (NULL for store rows).
CREATE OR REPLACE TEMP VIEW eff_stations AS
SELECT station_id, country, _file, _row FROM stg_stations
UNION ALL
SELECT s.station_id, s.country, NULL, NULL FROM main.stations s
WHERE NOT EXISTS (SELECT 1 FROM stg_stations g WHERE g.station_id = s.station_id);

CREATE OR REPLACE TEMP VIEW eff_interventions AS
SELECT intervention_id, manufacturer_id, station_id, try_cast(completed_on AS DATE) AS completed_on, _file, _row
FROM stg_interventions
UNION ALL
SELECT i.intervention_id, i.manufacturer_id, i.station_id, i.completed_on, NULL, NULL FROM main.interventions i
WHERE NOT EXISTS (SELECT 1 FROM stg_interventions g WHERE g.intervention_id = i.intervention_id);

CREATE OR REPLACE TEMP VIEW eff_invoices AS
SELECT invoice_id, manufacturer_id, station_id, try_cast(issued_on AS DATE) AS issued_on, currency, _file, _row
FROM stg_invoices
UNION ALL
SELECT v.invoice_id, v.manufacturer_id, v.station_id, v.issued_on, v.currency, NULL, NULL FROM main.invoices v
WHERE NOT EXISTS (SELECT 1 FROM stg_invoices g WHERE g.invoice_id = v.invoice_id);

CREATE OR REPLACE TEMP VIEW eff_invoice_lines AS
SELECT invoice_id, try_cast(line_no AS BIGINT) AS line_no, intervention_id, _file, _row FROM stg_invoice_lines
UNION ALL
SELECT l.invoice_id, l.line_no, l.intervention_id, NULL, NULL FROM main.invoice_lines l
WHERE NOT EXISTS (SELECT 1 FROM stg_invoice_lines g
                  WHERE g.invoice_id = l.invoice_id AND try_cast(g.line_no AS BIGINT) = l.line_no);
