-- The verification queue: one row per intervention in the viewer's scope and filters, with its
-- status (verification.md: worst severity of its findings), its finding codes (distinct, sorted,
-- ';'-joined, '' when none), amounts (intervention_amounts) and every finding's explanation
-- (one per line, in code order). Period filter on completed_on; territory filters on the station.
SELECT i.intervention_id, i.manufacturer_id, i.station_id, s.status, s.finding_codes AS findings,
       a.currency, a.requested_amount, a.calculated_amount,
       i.completed_on, i.submitted_on, i.product_category, i.repair_code, i.coverage,
       i.country, i.region,
       p.policy_valid_from, p.applied_overrides,
       coalesce(f.explanations, '') AS explanations
FROM (
    SELECT * FROM (
        SELECT i.*, st.country, coalesce(st.region, '') AS region
        FROM interventions i JOIN stations st USING (station_id)
    )
    WHERE
-- include: fragments/selection
) i
JOIN intervention_status s USING (intervention_id)
JOIN intervention_amounts a USING (intervention_id)
JOIN intervention_policy p USING (intervention_id)
LEFT JOIN (
    SELECT intervention_id,
           string_agg(code || ': ' || explanation, chr(10) ORDER BY code, coalesce(doc_type, '')) AS explanations
    FROM findings
    GROUP BY intervention_id
) f USING (intervention_id)
WHERE ($status IS NULL OR s.status = $status)
ORDER BY i.intervention_id;
