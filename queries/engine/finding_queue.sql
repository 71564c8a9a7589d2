-- finding_queue: the findings waiting for someone, one row each (finding_decisions.awaiting_answer /
-- awaiting_decision, decisions.sql), with the intervention's attribution from intervention_facts and the
-- moment the wait began (`waiting_since`: the report's submission for an answer, the station's answer for
-- a decision):
--   turn = 'answer'   a current blocked/review finding nobody has answered or decided yet (the station's turn)
--   turn = 'decision' a current finding whose latest station answer is newer than the latest decision
--                     (the manufacturer's turn)
-- What the work queues and their counters read (fragments/finding_queue). Kept as a table so that a
-- counter reads the waiting findings alone instead of joining them with every intervention's facts at
-- each view (3.5–4.7 s at 10M). Sorted like intervention_facts, so a brand's period is read through
-- zone maps. Scope: the interventions in eng_iv_status (a live read runs it too, analytics/engine/live.py).
CREATE OR REPLACE TABLE finding_queue AS
SELECT d.intervention_id, d.code, d.doc_type, d.severity,
       CASE WHEN d.awaiting_answer THEN 'answer' ELSE 'decision' END AS turn,
       CASE WHEN d.awaiting_answer THEN CAST(f.submitted_on AS TIMESTAMP) ELSE d.answered_at END AS waiting_since,
       d.answer_kind, d.answered_by, d.answer_body,
       f.manufacturer_id, f.station_id, f.country, f.region, f.product_category, f.completed_on,
       f.submitted_on, f.month,
       d.iv_key  -- the engine's key (migration 007): what the scopes find the row by
FROM (SELECT * FROM finding_decisions
      WHERE (awaiting_answer OR awaiting_decision)
        AND iv_key IN (SELECT iv_key FROM eng_iv_status)) d
JOIN (SELECT * FROM intervention_facts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)) f
  USING (intervention_id)
ORDER BY f.manufacturer_id, f.completed_on, d.intervention_id, d.code, d.doc_type;
