-- Counters of the pre-invoice step within the viewer's scope (engine table finding_decisions):
-- awaiting_answer   current blocked/review findings nobody has answered or decided yet (the station's turn)
-- awaiting_decision current findings whose latest station answer is newer than the latest decision
--                   (the manufacturer's turn)
-- settled           current findings that no longer count toward status (waived, or document sent)
-- confirmed         current findings whose latest word is the manufacturer's confirmation
SELECT count(*) FILTER (WHERE awaiting_answer) AS awaiting_answer,
       count(*) FILTER (WHERE awaiting_decision) AS awaiting_decision,
       count(*) FILTER (WHERE finding_exists AND settled) AS settled,
       count(*) FILTER (WHERE finding_exists AND state = 'confirmed') AS confirmed
FROM finding_decisions
WHERE
-- include: fragments/scope
;
