-- Required documents per intervention (verification.md DOC_MISSING): for an intervention with a policy
-- in force, the distinct doc types of required_documents + required_documents_by_coverage[coverage]
-- + required_documents_by_category[product_category] (each resolved base -> country -> region ->
-- station, see policy_in_force.sql), with the day each was received (NULL when never received).
-- `required_by` names where the requirement comes from ('all', 'coverage warranty', 'category tv').
CREATE OR REPLACE TABLE intervention_required_documents AS
WITH wanted AS (
    SELECT ip.intervention_id, ip.manufacturer_id, ip.policy_valid_from, ip.station_id,
           'required_documents' AS key, '' AS item, 'all interventions' AS required_by
    FROM intervention_policy ip
    WHERE ip.has_policy
    UNION ALL
    SELECT ip.intervention_id, ip.manufacturer_id, ip.policy_valid_from, ip.station_id,
           'required_documents_by_coverage', i.coverage, 'coverage ' || i.coverage
    FROM intervention_policy ip JOIN interventions i USING (intervention_id)
    WHERE ip.has_policy
    UNION ALL
    SELECT ip.intervention_id, ip.manufacturer_id, ip.policy_valid_from, ip.station_id,
           'required_documents_by_category', i.product_category, 'category ' || i.product_category
    FROM intervention_policy ip JOIN interventions i USING (intervention_id)
    WHERE ip.has_policy
), required AS (
    SELECT w.intervention_id, unnest(r.list_value) AS doc_type, w.required_by
    FROM wanted w
    JOIN policy_resolved r
      ON r.manufacturer_id = w.manufacturer_id AND r.valid_from = w.policy_valid_from
     AND r.station_id = w.station_id AND r.key = w.key AND r.item = w.item
)
SELECT q.intervention_id, q.doc_type, d.received_on,
       string_agg(DISTINCT q.required_by, ', ' ORDER BY q.required_by) AS required_by
FROM required q
LEFT JOIN documents d ON d.intervention_id = q.intervention_id AND d.doc_type = q.doc_type
GROUP BY q.intervention_id, q.doc_type, d.received_on;
