-- The rows without the engine's key of their intervention (migration 007) get it: an intervention
-- gets the store's largest key + 1, 2, … in intervention_id order; a document or an invoice line gets
-- its intervention's. For an existing store when the key is added, and for rows a program wrote itself
-- (tests, tools) rather than through the importer, which gives new interventions their keys in file
-- order and every loaded document and line its intervention's. Depends only on the rows, so two
-- replicas give the same keys.
UPDATE interventions SET iv_key = k.iv_key
FROM (
    SELECT intervention_id,
           (SELECT coalesce(max(iv_key), 0) FROM interventions) + row_number() OVER (ORDER BY intervention_id) AS iv_key
    FROM interventions
    WHERE iv_key IS NULL
) k
WHERE interventions.iv_key IS NULL AND interventions.intervention_id = k.intervention_id;

UPDATE documents SET iv_key = i.iv_key
FROM interventions i
WHERE documents.iv_key IS NULL AND documents.intervention_id = i.intervention_id;

UPDATE invoice_lines SET iv_key = i.iv_key
FROM interventions i
WHERE invoice_lines.iv_key IS NULL AND invoice_lines.intervention_id = i.intervention_id;
