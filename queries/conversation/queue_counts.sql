-- The work queues' counters within the viewer's selection: findings awaiting the station's answer,
-- findings awaiting the manufacturer's decision (fragments/finding_queue), disputes not resolved yet
-- (dispute_facts, resolved_on NULL). The lists (queue_findings.sql, queue_disputes.sql) read the
-- same rows, so each counter opens a list of exactly that many rows.
WITH waiting AS (
-- include: fragments/finding_queue
), open_disputes AS (
    SELECT count(*) AS n
    FROM dispute_facts
    WHERE resolved_on IS NULL AND
-- include: fragments/selection
)
SELECT count(*) FILTER (WHERE turn = 'answer')   AS awaiting_answer,
       count(*) FILTER (WHERE turn = 'decision') AS awaiting_decision,
       (SELECT n FROM open_disputes)             AS open_disputes
FROM waiting;
