-- finding_entries is append-only (migration 002): an import adds only the entries whose
-- entry_id is not in the store yet; an existing entry is never changed.
INSERT INTO main.finding_entries (entry_id, intervention_id, code, doc_type, kind, author, author_role,
                                  written_at, body, sent_doc_type, sent_doc_received_on)
SELECT CAST(entry_id AS BIGINT), intervention_id, code, doc_type, kind, author, author_role,
       CAST(written_at AS TIMESTAMP), body, sent_doc_type, CAST(sent_doc_received_on AS DATE)
FROM stg_finding_entries s
WHERE NOT EXISTS (SELECT 1 FROM main.finding_entries f WHERE f.entry_id = CAST(s.entry_id AS BIGINT))
