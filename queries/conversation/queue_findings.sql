-- One work queue of findings ($turn: 'answer' = the station's turn, 'decision' = the manufacturer's),
-- oldest wait first (waiting_since, then intervention, code, document type), the first $limit rows
-- (NULL: all, the export). Rows: fragments/finding_queue; the finding's explanation from `findings`.
WITH waiting AS (
-- include: fragments/finding_queue
)
SELECT w.waiting_since, w.intervention_id, w.code, w.doc_type, w.severity, g.explanation,
       w.manufacturer_id, w.station_id, w.country, w.region, w.product_category, w.completed_on,
       w.answer_kind, w.answered_by, w.answer_body
FROM waiting w
LEFT JOIN findings g
  ON g.intervention_id = w.intervention_id AND g.code = w.code AND coalesce(g.doc_type, '') = w.doc_type
WHERE w.turn = $turn
ORDER BY w.waiting_since, w.intervention_id, w.code, w.doc_type
LIMIT $limit;
