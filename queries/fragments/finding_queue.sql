-- Fragment: the findings waiting for someone, one row each, within the viewer's selection:
--   turn = 'answer'   a current blocked/review finding nobody has answered or decided yet (the station's turn)
--   turn = 'decision' a current finding whose latest station answer is newer than the latest decision
--                     (the manufacturer's turn)
-- (the engine's table finding_queue, queries/engine/finding_queue.sql: finding_decisions.awaiting_answer /
-- awaiting_decision with the intervention's attribution and the moment the wait began). Scope and filters as
-- fragments/selection. Included by queue_counts.sql and queue_findings.sql, so a counter and its list
-- count the same rows.
SELECT *
FROM finding_queue q
WHERE
-- include: fragments/selection
