-- The policy values applied to one intervention in the viewer's scope, with the level each came
-- from (base, country, region, station; policy_resolved): every scalar and list, the standard time of
-- its repair code, and the document lists for its coverage and product category.
SELECT r.key, r.item, r.level, r.num_value, r.text_value, r.list_value
FROM (SELECT * FROM interventions WHERE
-- include: fragments/scope
) i
JOIN intervention_policy p USING (intervention_id)
JOIN policy_resolved r
  ON r.manufacturer_id = p.manufacturer_id AND r.valid_from = p.policy_valid_from AND r.station_id = p.station_id
WHERE i.intervention_id = $intervention_id
  AND (r.item = ''
       OR (r.key = 'standard_minutes' AND r.item = i.repair_code)
       OR (r.key = 'required_documents_by_coverage' AND r.item = i.coverage)
       OR (r.key = 'required_documents_by_category' AND r.item = i.product_category))
ORDER BY r.key, r.item;
