-- Ingest by a station or a brand (analytics/contract/importer/scope_check.py): every staged row
-- outside the sender's scope, over "the store plus the import" (the eff_* views of effective.sql).
-- $who: "station S1" or "brand M1". A reference to another's record reads exactly like one to an
-- unknown record; an id already used by another's record "cannot be used" (an import replaces by key).
WITH staged_interventions AS (
    SELECT _file, _row, intervention_id, manufacturer_id, station_id,
-- include: fragments/sender_owns
           AS mine
    FROM stg_interventions
), staged_invoices AS (
    SELECT _file, _row, invoice_id, manufacturer_id, station_id,
-- include: fragments/sender_owns
           AS mine
    FROM stg_invoices
), my_interventions AS (
    SELECT intervention_id FROM eff_interventions WHERE
-- include: fragments/sender_owns
), my_invoices AS (
    SELECT invoice_id FROM eff_invoices WHERE
-- include: fragments/sender_owns
), their_interventions AS (
    SELECT intervention_id FROM main.interventions WHERE NOT
-- include: fragments/sender_owns
), their_invoices AS (
    SELECT invoice_id FROM main.invoices WHERE NOT
-- include: fragments/sender_owns
), unknown_to_me AS (  -- (file, row, column, value, kind) of references to no record of the sender
    SELECT _file, _row, 'intervention_id' AS col, intervention_id AS value, 'intervention' AS kind FROM stg_documents
    UNION ALL SELECT _file, _row, 'invoice_id', invoice_id, 'invoice' FROM stg_invoice_lines
    UNION ALL SELECT _file, _row, 'intervention_id', intervention_id, 'intervention' FROM stg_invoice_lines
    UNION ALL SELECT _file, _row, 'invoice_id', invoice_id, 'invoice' FROM stg_disputes
    UNION ALL SELECT _file, _row, 'intervention_id', intervention_id, 'intervention' FROM stg_disputes
)
SELECT _file, _row,
-- include: fragments/sender_column
       AS "column",
-- include: fragments/sender_value
       AS value,
       'intervention ' || coalesce(intervention_id, '') || ': ' || $who || ' may only send its own interventions'
       AS message
FROM staged_interventions WHERE NOT mine
UNION ALL
SELECT _file, _row,
-- include: fragments/sender_column
       AS "column",
-- include: fragments/sender_value
       AS value,
       'invoice ' || coalesce(invoice_id, '') || ': ' || $who || ' may only send its own invoices'
FROM staged_invoices WHERE NOT mine
UNION ALL
SELECT g._file, g._row, 'intervention_id', g.intervention_id,
       'intervention_id ' || g.intervention_id || ' cannot be used by ' || $who || ': choose another id'
FROM staged_interventions g JOIN their_interventions USING (intervention_id)
WHERE g.mine
UNION ALL
SELECT g._file, g._row, 'invoice_id', g.invoice_id,
       'invoice_id ' || g.invoice_id || ' cannot be used by ' || $who || ': choose another id'
FROM staged_invoices g JOIN their_invoices USING (invoice_id)
WHERE g.mine
UNION ALL
SELECT d._file, d._row, 'dispute_id', d.dispute_id,
       'dispute_id ' || d.dispute_id || ' cannot be used by ' || $who || ': choose another id'
FROM stg_disputes d JOIN main.disputes x USING (dispute_id) JOIN their_invoices t ON t.invoice_id = x.invoice_id
UNION ALL
SELECT u._file, u._row, u.col, u.value,
       'there is no ' || u.kind || ' ''' || coalesce(u.value, '') || ''' of ' || $who || ' in the store or in this import'
FROM unknown_to_me u
WHERE (u.kind = 'intervention' AND NOT EXISTS (SELECT 1 FROM my_interventions m WHERE m.intervention_id = u.value))
   OR (u.kind = 'invoice' AND NOT EXISTS (SELECT 1 FROM my_invoices m WHERE m.invoice_id = u.value))
