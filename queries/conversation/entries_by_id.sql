-- Stored entries among the given ids (to tell which journal entries a store already holds).
SELECT entry_id, intervention_id, code, doc_type, kind, author, author_role, written_at, body,
       sent_doc_type, sent_doc_received_on
FROM finding_entries
WHERE list_contains($ids, entry_id);
