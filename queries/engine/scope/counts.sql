-- What a refresh recomputed: interventions (policy … findings), interventions whose outlier findings
-- were recomputed, interventions whose decisions, status and facts were, disputes, invoices, and
-- (manufacturer, month) rollup pairs.
SELECT (SELECT count(*) FROM eng_iv), (SELECT count(*) FROM eng_outlier_iv), (SELECT count(*) FROM eng_iv_status),
       (SELECT count(*) FROM eng_dispute), (SELECT count(*) FROM eng_invoice), (SELECT count(*) FROM eng_month);
