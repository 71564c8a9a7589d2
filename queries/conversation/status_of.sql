-- One intervention's verification status after the conversation's decisions (engine/status.sql):
-- status, the codes that still count, the codes settled in conversation and who settled them, why.
-- No row outside the viewer's scope.
SELECT s.status, s.finding_codes, s.waived_codes, s.waived_note
FROM intervention_status s
JOIN (SELECT * FROM interventions WHERE
-- include: fragments/scope
) i USING (intervention_id)
WHERE s.intervention_id = $intervention_id;
