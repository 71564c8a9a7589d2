-- The threads of the live read's interventions as if the journal were folded: the stored entries of
-- those interventions and the journal's entries not yet in the store ($entries, one struct each).
-- A temp table named like the stored one: on this connection it shadows finding_entries, so the
-- engine's decisions model reads it. Built before the temp table exists, so the name reads the store.
CREATE OR REPLACE TEMP TABLE finding_entries AS
SELECT entry_id, intervention_id, code, doc_type, kind, author, author_role, written_at, body,
       sent_doc_type, sent_doc_received_on
FROM finding_entries
WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
UNION ALL
SELECT CAST(e.entry_id AS BIGINT), CAST(e.intervention_id AS VARCHAR), CAST(e.code AS VARCHAR),
       CAST(e.doc_type AS VARCHAR), CAST(e.kind AS VARCHAR), CAST(e.author AS VARCHAR),
       CAST(e.author_role AS VARCHAR), CAST(e.written_at AS TIMESTAMP), CAST(e.body AS VARCHAR),
       CAST(e.sent_doc_type AS VARCHAR), CAST(e.sent_doc_received_on AS DATE)
FROM (SELECT unnest($entries) AS e);
