-- History of findings, statuses and outlier thresholds (migrations 005, 006): the open rows of what this
-- refresh recomputed (findings: every finding of eng_iv and the outlier findings of eng_outlier_iv;
-- statuses: eng_iv_status; thresholds: the groups of eng_group; everything in a full refresh) that no longer
-- match the current row are closed at eng_now, and the current rows with no open match are opened at
-- eng_now. An unchanged finding, status or threshold keeps its row. Findings are kept as stored
-- (finding_rows): an outlier finding's explanation as of a date is completed with its group's thresholds
-- of that date (queries/verification/findings_as_of.sql). The current and open rows of the scope are read
-- once into temporary tables (each large table scanned once), then compared.
CREATE OR REPLACE TEMP TABLE eng_finding_now AS
SELECT intervention_id, code, doc_type, severity, explanation, manufacturer_id, repair_code, iv_key
FROM finding_rows
-- eng_outlier_iv holds eng_iv: one scope filter the scan can apply, the rest checked on its few rows
WHERE iv_key IN (SELECT iv_key FROM eng_outlier_iv)
  AND (code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER') OR iv_key IN (SELECT iv_key FROM eng_iv));

-- (open rows are matched by the engine's key, so their text intervention_id is not read: the scope is
-- scattered over the whole history, where each text column costs its decompression in every row group)
CREATE OR REPLACE TEMP TABLE eng_finding_open AS
SELECT rowid AS row_id, iv_key, code, doc_type, severity, explanation, manufacturer_id, repair_code
FROM finding_history
WHERE valid_to IS NULL
  AND iv_key IN (SELECT iv_key FROM eng_outlier_iv)
  AND (code IN ('LABOR_OUTLIER', 'PARTS_OUTLIER') OR iv_key IN (SELECT iv_key FROM eng_iv));

UPDATE finding_history SET valid_to = (SELECT refreshed_at FROM eng_now)
WHERE rowid IN (
    SELECT h.row_id FROM eng_finding_open h
    WHERE NOT EXISTS (SELECT 1 FROM eng_finding_now f
                      WHERE f.iv_key = h.iv_key AND f.code = h.code
                        AND f.doc_type IS NOT DISTINCT FROM h.doc_type AND f.severity = h.severity
                        AND f.explanation IS NOT DISTINCT FROM h.explanation
                        AND f.manufacturer_id IS NOT DISTINCT FROM h.manufacturer_id
                        AND f.repair_code IS NOT DISTINCT FROM h.repair_code));

INSERT INTO finding_history (intervention_id, code, doc_type, severity, explanation, valid_from, valid_to,
                             manufacturer_id, repair_code, iv_key)
SELECT f.intervention_id, f.code, f.doc_type, f.severity, f.explanation, (SELECT refreshed_at FROM eng_now), NULL,
       f.manufacturer_id, f.repair_code, f.iv_key
FROM eng_finding_now f
WHERE NOT EXISTS (SELECT 1 FROM eng_finding_open h
                  WHERE h.iv_key = f.iv_key AND h.code = f.code
                    AND h.doc_type IS NOT DISTINCT FROM f.doc_type AND h.severity = f.severity
                    AND h.explanation IS NOT DISTINCT FROM f.explanation
                    AND h.manufacturer_id IS NOT DISTINCT FROM f.manufacturer_id
                    AND h.repair_code IS NOT DISTINCT FROM f.repair_code);

UPDATE outlier_group_history h SET valid_to = (SELECT refreshed_at FROM eng_now)
WHERE h.valid_to IS NULL
  AND EXISTS (SELECT 1 FROM eng_group e WHERE e.manufacturer_id = h.manufacturer_id AND e.repair_code = h.repair_code)
  AND NOT EXISTS (SELECT 1 FROM outlier_groups g
                  WHERE g.manufacturer_id = h.manufacturer_id AND g.repair_code = h.repair_code AND g.n = h.n
                    AND g.p95_labor IS NOT DISTINCT FROM h.p95_labor AND g.p95_parts IS NOT DISTINCT FROM h.p95_parts);

INSERT INTO outlier_group_history
SELECT g.manufacturer_id, g.repair_code, g.n, g.p95_labor, g.p95_parts, g.labor_evidence, g.parts_evidence,
       (SELECT refreshed_at FROM eng_now), NULL
FROM outlier_groups g
SEMI JOIN eng_group e USING (manufacturer_id, repair_code)
WHERE NOT EXISTS (SELECT 1 FROM outlier_group_history h
                  WHERE h.valid_to IS NULL AND h.manufacturer_id = g.manufacturer_id AND h.repair_code = g.repair_code
                    AND h.n = g.n AND h.p95_labor IS NOT DISTINCT FROM g.p95_labor
                    AND h.p95_parts IS NOT DISTINCT FROM g.p95_parts);

CREATE OR REPLACE TEMP TABLE eng_status_now AS
SELECT intervention_id, status, finding_codes, waived_codes, iv_key FROM intervention_status
WHERE iv_key IN (SELECT iv_key FROM eng_iv_status);

CREATE OR REPLACE TEMP TABLE eng_status_open AS
SELECT rowid AS row_id, iv_key, status, finding_codes, waived_codes FROM status_history
WHERE valid_to IS NULL AND iv_key IN (SELECT iv_key FROM eng_iv_status);

UPDATE status_history SET valid_to = (SELECT refreshed_at FROM eng_now)
WHERE rowid IN (
    SELECT h.row_id FROM eng_status_open h
    WHERE NOT EXISTS (SELECT 1 FROM eng_status_now s
                      WHERE s.iv_key = h.iv_key AND s.status = h.status
                        AND s.finding_codes = h.finding_codes AND s.waived_codes = h.waived_codes));

INSERT INTO status_history (intervention_id, status, finding_codes, waived_codes, valid_from, valid_to, iv_key)
SELECT s.intervention_id, s.status, s.finding_codes, s.waived_codes, (SELECT refreshed_at FROM eng_now), NULL, s.iv_key
FROM eng_status_now s
WHERE NOT EXISTS (SELECT 1 FROM eng_status_open h
                  WHERE h.iv_key = s.iv_key AND h.status = s.status
                    AND h.finding_codes = s.finding_codes AND h.waived_codes = s.waived_codes);

DROP TABLE eng_finding_now;
DROP TABLE eng_finding_open;
DROP TABLE eng_status_now;
DROP TABLE eng_status_open;
