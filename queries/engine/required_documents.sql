-- Required documents per intervention (verification.md DOC_MISSING): for an intervention with a policy
-- in force, the distinct doc types of required_documents + required_documents_by_coverage[coverage]
-- + required_documents_by_category[product_category] (each resolved base -> country -> region ->
-- station, see policy_in_force.sql), with the day each was received (NULL when never received).
-- `required_by` names where the requirement comes from ('all interventions', 'coverage warranty',
-- 'category tv'; the first of these when several ask for the same type).
-- The lists are expanded once per (policy version, station, coverage, category), not per intervention.
-- Scope: the interventions in eng_iv.
CREATE OR REPLACE TABLE intervention_required_documents AS
WITH keys AS (
    SELECT DISTINCT ip.combo_id, ip.coverage, ip.product_category
    FROM intervention_policy ip
    WHERE ip.has_policy AND ip.iv_key IN (SELECT iv_key FROM eng_iv)
), expanded AS (
    SELECT k.combo_id, k.coverage, k.product_category,
           unnest(r.list_value) AS doc_type,
           CASE r.key WHEN 'required_documents' THEN 1 WHEN 'required_documents_by_coverage' THEN 2 ELSE 3 END AS prio,
           CASE r.key WHEN 'required_documents' THEN 'all interventions'
                      WHEN 'required_documents_by_coverage' THEN 'coverage ' || r.item
                      ELSE 'category ' || r.item END AS required_by
    FROM keys k
    JOIN policy_combo pc USING (combo_id)
    JOIN policy_resolved r
      ON r.manufacturer_id = pc.manufacturer_id AND r.valid_from = pc.valid_from AND r.station_id = pc.station_id
    WHERE (r.key = 'required_documents' AND r.item = '')
       OR (r.key = 'required_documents_by_coverage' AND r.item = k.coverage)
       OR (r.key = 'required_documents_by_category' AND r.item = k.product_category)
), required AS (
    SELECT combo_id, coverage, product_category, doc_type, arg_min(required_by, prio) AS required_by
    FROM expanded
    GROUP BY ALL
)
SELECT ip.intervention_id, q.doc_type, d.received_on, q.required_by, ip.iv_key
FROM (SELECT * FROM intervention_policy WHERE iv_key IN (SELECT iv_key FROM eng_iv)) ip
JOIN required q
  ON q.combo_id = ip.combo_id AND q.coverage = ip.coverage AND q.product_category = ip.product_category
LEFT JOIN (SELECT * FROM documents WHERE iv_key IN (SELECT iv_key FROM eng_iv)) d
  ON d.iv_key = ip.iv_key AND d.doc_type = q.doc_type;
