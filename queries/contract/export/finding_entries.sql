-- Export of finding_entries (migration 002; not a contract table): the columns in table order,
-- written_at with microseconds so an import restores it exactly. Ordered by entry_id.
SELECT CAST(entry_id AS VARCHAR) AS entry_id,
       intervention_id AS intervention_id,
       code AS code,
       doc_type AS doc_type,
       kind AS kind,
       author AS author,
       author_role AS author_role,
       strftime(written_at, '%Y-%m-%d %H:%M:%S.%f') AS written_at,
       body AS body,
       sent_doc_type AS sent_doc_type,
       strftime(sent_doc_received_on, '%Y-%m-%d') AS sent_doc_received_on
FROM finding_entries
ORDER BY entry_id
