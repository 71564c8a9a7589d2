-- eng_cell: the (manufacturer, month, station) of every facts row that changed, in its old or its new
-- version (a row in one version only): the only cells whose sums can differ.
INSERT INTO eng_cell
WITH iv_new AS (
    SELECT * FROM intervention_facts WHERE iv_key IN (SELECT iv_key FROM eng_iv_status)
), dispute_new AS (
    SELECT * FROM dispute_facts WHERE dispute_id IN (SELECT dispute_id FROM eng_dispute)
), invoice_new AS (
    SELECT * FROM invoice_facts WHERE invoice_id IN (SELECT invoice_id FROM eng_invoice)
), changed AS (
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_iv_facts_old EXCEPT SELECT * FROM iv_new)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM iv_new EXCEPT SELECT * FROM eng_iv_facts_old)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_dispute_facts_old EXCEPT SELECT * FROM dispute_new)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM dispute_new EXCEPT SELECT * FROM eng_dispute_facts_old)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM eng_invoice_facts_old EXCEPT SELECT * FROM invoice_new)
    UNION ALL
    SELECT manufacturer_id, month, station_id FROM (SELECT * FROM invoice_new EXCEPT SELECT * FROM eng_invoice_facts_old)
)
SELECT DISTINCT * FROM changed;

DELETE FROM rollup_intervention_cells c USING eng_cell e
WHERE c.manufacturer_id = e.manufacturer_id AND c.month = e.month AND c.station_id = e.station_id;
