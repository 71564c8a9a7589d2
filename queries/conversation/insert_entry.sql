-- Append one entry to a finding's thread. The only statement that writes finding_entries:
-- entries are never updated nor deleted (a decision is superseded by a later entry).
INSERT INTO finding_entries
    (entry_id, intervention_id, code, doc_type, kind, author, author_role, written_at, body,
     sent_doc_type, sent_doc_received_on)
VALUES ($entry_id, $intervention_id, $code, $doc_type, $kind, $author, $author_role, $written_at, $body,
        $sent_doc_type, $sent_doc_received_on);
