-- The pipeline of the Overview page: of the interventions reported (completed) in the selection,
-- how many reached each stage. Stages are counted independently over the same set (an intervention
-- can be invoiced without being ready, so the counts need not decrease):
--   reported   every intervention of the selection (period on completed_on, metrics.md "Attribution")
--   ready      verification status = 'ready'
--   invoiced   it has at least one invoice line (metrics.md "Invoiced")
--   disputed   it has at least one dispute
--   resolved   it has disputes and every one of them is resolved (withdrawn included)
--   paid       invoiced, and every invoice carrying its lines has a paid_on
-- Scope and filters as bound parameters (analytics/scope.py, analytics/filters.py idioms).
WITH sel AS (
    SELECT intervention_id, ready, invoiced, disputes, disputes_resolved
    FROM intervention_facts
    WHERE ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
      AND ($scope_station IS NULL OR station_id = $scope_station)
      AND ($date_from IS NULL OR completed_on >= $date_from)
      AND ($date_to IS NULL OR completed_on <= $date_to)
      AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
      AND ($station_ids IS NULL OR list_contains($station_ids, station_id))
      AND ($countries IS NULL OR list_contains($countries, country))
      AND ($regions IS NULL OR list_contains($regions, region))
      AND ($product_categories IS NULL OR list_contains($product_categories, product_category))
), paid AS (
    SELECT l.intervention_id, bool_and(v.paid_on IS NOT NULL) AS paid
    FROM invoice_lines l
    JOIN invoices v USING (invoice_id)
    WHERE l.intervention_id IN (SELECT intervention_id FROM sel WHERE invoiced)
    GROUP BY l.intervention_id
)
SELECT
    count(*)                                                          AS reported,
    count(*) FILTER (WHERE sel.ready)                                 AS ready,
    count(*) FILTER (WHERE sel.invoiced)                              AS invoiced,
    count(*) FILTER (WHERE sel.disputes > 0)                          AS disputed,
    count(*) FILTER (WHERE sel.disputes > 0 AND sel.disputes_resolved = sel.disputes) AS resolved,
    count(*) FILTER (WHERE sel.invoiced AND coalesce(paid.paid, false)) AS paid
FROM sel
LEFT JOIN paid USING (intervention_id);
