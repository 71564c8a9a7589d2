-- Decisions on findings (the conversation's waivers and documents sent): one row per finding key (intervention_id, code, doc_type — ''
-- except for DOC_MISSING) that is a current finding or has a thread in finding_entries, with the
-- state the conversation left it in. Entries are ordered by entry_id (allocated increasing).
--   decision  = the latest 'waive' or 'confirm' (a decision is superseded by a later one)
--   answer    = the latest 'justification' or 'document_sent' (station)
--   settled   = the finding no longer counts toward the intervention's status:
--               the latest decision is a waive, or a document_sent (DOC_MISSING, same doc type)
--               came after the latest decision (or there is none): the document counts as received.
--               A confirm after either makes it count again ("a confirmed blocking finding stays blocking").
--   state     = waived | document_sent | confirmed | answered | open  (resolved: finding_exists false)
--   awaiting_answer   = a current blocked/review finding nobody has answered or decided yet (station's turn)
--   awaiting_decision = a current finding whose latest answer is newer than the latest decision (manufacturer's turn)
-- Runs after `findings` and before `status` (analytics/engine/models.py MODELS), which reads `settled`.
-- Scope: the interventions in eng_iv_status.
CREATE OR REPLACE TABLE finding_decisions AS
WITH f AS (
    SELECT intervention_id, code, coalesce(doc_type, '') AS doc_type, severity
    FROM finding_rows
    WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)
), e AS (
    SELECT * FROM finding_entries
    WHERE intervention_id IN (SELECT intervention_id FROM eng_iv_status)
), per_key AS (
    SELECT intervention_id, code, doc_type,
           count(*) AS entries,
           max(written_at) AS last_entry_at,
           max(entry_id) FILTER (WHERE kind IN ('waive', 'confirm')) AS decision_id,
           max(entry_id) FILTER (WHERE kind IN ('justification', 'document_sent')) AS answer_id,
           max(entry_id) FILTER (WHERE kind = 'document_sent') AS document_id
    FROM e
    GROUP BY intervention_id, code, doc_type
), keys AS (
    SELECT intervention_id, code, doc_type FROM f
    UNION
    SELECT intervention_id, code, doc_type FROM per_key
), joined AS (
    SELECT k.intervention_id, k.code, k.doc_type,
           f.severity, f.intervention_id IS NOT NULL AS finding_exists,
           coalesce(p.entries, 0) AS entries, p.last_entry_at,
           d.kind AS decision_kind, d.author AS decided_by, d.author_role AS decided_role,
           d.written_at AS decided_at, d.body AS decision_reason,
           a.kind AS answer_kind, a.author AS answered_by, a.written_at AS answered_at, a.body AS answer_body,
           s.sent_doc_type, s.sent_doc_received_on, s.author AS sent_by,
           p.decision_id, p.answer_id, p.document_id
    FROM keys k
    LEFT JOIN f USING (intervention_id, code, doc_type)
    LEFT JOIN per_key p USING (intervention_id, code, doc_type)
    LEFT JOIN e d ON d.entry_id = p.decision_id
    LEFT JOIN e a ON a.entry_id = p.answer_id
    LEFT JOIN e s ON s.entry_id = p.document_id
), judged AS (
    SELECT *,
           coalesce(decision_kind = 'waive', false) AS waived,
           document_id IS NOT NULL AND code = 'DOC_MISSING' AND (decision_id IS NULL OR document_id > decision_id)
               AS document_received
    FROM joined
)
SELECT j.intervention_id, i.manufacturer_id, i.station_id, j.code, j.doc_type, j.severity, j.finding_exists,
       j.entries, j.last_entry_at,
       (j.waived OR j.document_received) AS settled,
       CASE
           WHEN j.document_received THEN 'document_sent'
           WHEN j.waived THEN 'waived'
           WHEN j.answer_id IS NOT NULL AND (j.decision_id IS NULL OR j.answer_id > j.decision_id) THEN 'answered'
           WHEN j.decision_kind = 'confirm' THEN 'confirmed'
           ELSE 'open'
       END AS state,
       j.decision_kind, j.decided_by, j.decided_role, j.decided_at, j.decision_reason,
       j.answer_kind, j.answered_by, j.answered_at, j.answer_body,
       CASE WHEN j.document_received THEN j.sent_doc_received_on END AS document_received_on,
       j.finding_exists AND j.severity IN ('blocked', 'review')
           AND j.decision_id IS NULL AND j.answer_id IS NULL AS awaiting_answer,
       j.finding_exists AND j.answer_id IS NOT NULL AND (j.decision_id IS NULL OR j.answer_id > j.decision_id)
           AS awaiting_decision,
       -- what the status shows for a finding that no longer counts
       CASE
           WHEN j.document_received THEN
               j.code || CASE WHEN j.doc_type <> '' THEN ' (' || j.doc_type || ')' ELSE '' END
               || ': document sent by ' || j.sent_by || ', received ' || strftime(j.sent_doc_received_on, '%Y-%m-%d')
           WHEN j.waived THEN
               j.code || CASE WHEN j.doc_type <> '' THEN ' (' || j.doc_type || ')' ELSE '' END
               || ': waived by ' || j.decided_by || ' on ' || strftime(j.decided_at, '%Y-%m-%d') || ': '
               || j.decision_reason
       END AS settled_note,
       i.iv_key  -- the engine's key (migration 007): what the scopes find the row by
FROM judged j
LEFT JOIN (SELECT * FROM interventions WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)) i USING (intervention_id);
