-- What the conversation changed in the figures, within the viewer's scope: interventions whose status
-- would be worse without the settled findings (their findings were waived or their document sent), and
-- disputes whose matching finding was settled, so that dispute prevention no longer counts them
-- (dispute_facts.prevented_waived).
SELECT
    (SELECT count(DISTINCT d.intervention_id)
     FROM finding_decisions d
     WHERE d.finding_exists AND d.settled AND d.severity IN ('blocked', 'review')
       AND
-- include: fragments/scope
    ) AS interventions_with_settled,
    (SELECT count(*)
     FROM finding_decisions d
     WHERE d.finding_exists AND d.settled
       AND
-- include: fragments/scope
    ) AS settled_findings,
    (SELECT count(*)
     FROM dispute_facts x
     WHERE x.prevented_waived
       AND
-- include: fragments/scope
    ) AS disputes_waived;
