-- A current finding of the engine (table `findings`), by its key: intervention, code and doc_type
-- ('' except for DOC_MISSING). No row when the finding does not exist (never did, or fixed by an import).
SELECT severity
FROM findings
WHERE intervention_id = $intervention_id AND code = $code AND coalesce(doc_type, '') = $doc_type
LIMIT 1;
