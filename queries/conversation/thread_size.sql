-- Number of stored entries in the thread of one finding key (kept even when the finding is resolved).
SELECT count(*)
FROM finding_entries
WHERE intervention_id = $intervention_id AND code = $code AND doc_type = $doc_type;
