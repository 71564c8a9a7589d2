-- "An invoice's currency must be the currency of the policy in force for each intervention
-- it bills (resolved on the intervention's completed_on, for the invoice's station)"
-- (data-contract.md "fx_rates" note). The policy in force is the manufacturer's version with
-- the latest valid_from <= completed_on; its currency is the country override for the
-- invoice station's country, else the base currency. Checked for every line (store plus
-- import) of the invoices this import brings and for every line it brings; no policy in force
-- means nothing to compare (NO_POLICY later). The problem points at the invoice row when the
-- invoice is in the import, else at the line row, and names both.
WITH lines AS (
    -- the lines it brings, and the store's lines of the invoices it brings (staged invoices are the
    -- eff_invoices rows with a _file): read by the invoice key, never every line of the store
    SELECT * FROM eff_invoice_lines WHERE _file IS NOT NULL
    UNION ALL
    SELECT * FROM eff_invoice_lines WHERE _file IS NULL AND invoice_id IN (SELECT invoice_id FROM stg_invoices)
), checked AS (
    SELECT l.invoice_id, l.line_no, l.intervention_id,
           coalesce(v._file, l._file) AS _file, coalesce(v._row, l._row) AS _row,
           v._file IS NOT NULL AS at_invoice,
           v.currency, v.station_id, v.manufacturer_id AS invoice_manufacturer
    FROM lines l
    JOIN eff_invoices v ON v.invoice_id = l.invoice_id
),
versions AS (SELECT DISTINCT manufacturer_id, valid_from FROM imp_policy_currency),
with_version AS (
    SELECT c.*, i.manufacturer_id, i.completed_on, s.country
    FROM checked c
    JOIN eff_interventions i ON i.intervention_id = c.intervention_id
    LEFT JOIN eff_stations s ON s.station_id = c.station_id
),
in_force AS (
    SELECT w.*, ver.valid_from
    FROM with_version w
    ASOF JOIN versions ver ON ver.manufacturer_id = w.manufacturer_id AND w.completed_on >= ver.valid_from
),
resolved AS (
    SELECT f.*,
           coalesce(pc.currency, pb.currency) AS policy_currency,
           CASE WHEN pc.currency IS NOT NULL THEN 'the ' || f.country || ' override of ' ELSE '' END AS where_text
    FROM in_force f
    LEFT JOIN imp_policy_currency pb ON pb.manufacturer_id = f.manufacturer_id AND pb.valid_from = f.valid_from
                                    AND pb.level = 'base'
    LEFT JOIN imp_policy_currency pc ON pc.manufacturer_id = f.manufacturer_id AND pc.valid_from = f.valid_from
                                    AND pc.level = 'country' AND pc.country = f.country
)
SELECT _file, _row, CASE WHEN at_invoice THEN 'currency' ELSE 'invoice_id' END AS "column",
       currency AS value, 'policy currency' AS rule,
       'invoice ' || invoice_id || ' line ' || coalesce(CAST(line_no AS VARCHAR), '?') || ' bills intervention '
       || intervention_id || ' in ' || currency || ', but ' || where_text || manufacturer_id
       || '''s policy in force on ' || strftime(completed_on, '%Y-%m-%d') || ' (version from '
       || strftime(valid_from, '%Y-%m-%d') || ') is in ' || policy_currency
       || ': amounts are never converted, invoice in the policy''s currency' AS message
FROM resolved
WHERE policy_currency IS NOT NULL AND currency IS NOT NULL AND currency <> policy_currency
ORDER BY _file, _row, invoice_id, line_no
