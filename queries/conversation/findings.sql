-- Findings with their conversation state (engine table finding_decisions, see engine/decisions.sql),
-- current ones and resolved ones that keep a thread (finding_exists = false: "finding resolved"),
-- within the viewer's scope, optionally of one intervention ($intervention_id NULL: all).
SELECT d.intervention_id, d.manufacturer_id, d.station_id, d.code, d.doc_type,
       d.severity, f.explanation, d.finding_exists, d.entries, d.state, d.settled,
       d.decision_kind, d.decided_by, d.decided_role, d.decided_at, d.decision_reason,
       d.answer_kind, d.answered_by, d.answered_at, d.document_received_on,
       d.awaiting_answer, d.awaiting_decision, d.settled_note
FROM (SELECT * FROM finding_decisions WHERE
-- include: fragments/scope
) d
LEFT JOIN findings f
  ON f.intervention_id = d.intervention_id AND f.code = d.code AND coalesce(f.doc_type, '') = d.doc_type
 -- said again on f so that one intervention's findings are read alone (findings is sorted by it)
 AND ($intervention_id IS NULL OR f.intervention_id = $intervention_id)
WHERE ($intervention_id IS NULL OR d.intervention_id = $intervention_id)
ORDER BY d.intervention_id, d.code, d.doc_type;
