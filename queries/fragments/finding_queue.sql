-- Fragment: the findings waiting for someone, one row each, within the viewer's selection:
--   turn = 'answer'   a current blocked/review finding nobody has answered or decided yet (the station's turn)
--   turn = 'decision' a current finding whose latest station answer is newer than the latest decision
--                     (the manufacturer's turn)
-- (finding_decisions.awaiting_answer / awaiting_decision, queries/engine/decisions.sql), with the
-- intervention's attribution from intervention_facts and the moment the wait began (`waiting_since`:
-- the report's submission for an answer, the station's answer for a decision). Scope and filters as
-- fragments/selection. Included by queue_counts.sql and queue_findings.sql, so a counter and its list
-- count the same rows.
SELECT *
FROM (
    SELECT d.intervention_id, d.code, d.doc_type, d.severity,
           CASE WHEN d.awaiting_answer THEN 'answer' ELSE 'decision' END AS turn,
           CASE WHEN d.awaiting_answer THEN CAST(f.submitted_on AS TIMESTAMP) ELSE d.answered_at END AS waiting_since,
           d.answer_kind, d.answered_by, d.answer_body,
           f.manufacturer_id, f.station_id, f.country, f.region, f.product_category, f.completed_on,
           f.submitted_on, f.month
    FROM finding_decisions d
    JOIN intervention_facts f USING (intervention_id)
    WHERE d.awaiting_answer OR d.awaiting_decision
) q
WHERE
-- include: fragments/selection
