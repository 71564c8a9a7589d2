-- Whether some intervention, document or invoice line has no engine key yet (rows a program wrote
-- itself, not through the importer): cheap, the scans stop at the first one and skip the row groups
-- whose statistics hold no NULL.
SELECT EXISTS (SELECT 1 FROM interventions WHERE iv_key IS NULL)
    OR EXISTS (SELECT 1 FROM documents WHERE iv_key IS NULL)
    OR EXISTS (SELECT 1 FROM invoice_lines WHERE iv_key IS NULL);
