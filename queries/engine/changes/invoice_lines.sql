-- Staged invoice lines about to be loaded: the intervention of each staged line, and the one of the
-- stored line it replaces (same invoice_id and line_no), which loses that line.
INSERT INTO engine_changes
SELECT DISTINCT 'line', intervention_id FROM @stg@ WHERE intervention_id IS NOT NULL
UNION
SELECT 'line', l.intervention_id
FROM main.invoice_lines l
JOIN @stg@ s ON s.invoice_id = l.invoice_id AND TRY_CAST(s.line_no AS BIGINT) = l.line_no;
