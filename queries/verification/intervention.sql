-- One intervention's report with its station, status, policy in force (intervention_policy) and
-- amounts (intervention_amounts), if it is in the viewer's scope (no row otherwise). The engine's
-- internal key (iv_key, migration 007) is left out: no page or answer shows it; so is the amounts'
-- `paid`, which the facts read (the report lists its invoices with their paid_on).
SELECT i.* EXCLUDE (iv_key), st.name AS station_name, st.country, st.region, m.name AS manufacturer_name,
       s.status, s.finding_codes,
       p.* EXCLUDE (intervention_id, manufacturer_id, station_id, iv_key),
       a.* EXCLUDE (intervention_id, currency, iv_key, paid), a.currency AS amount_currency
FROM (SELECT * FROM interventions WHERE
-- include: fragments/scope
) i
JOIN stations st ON st.station_id = i.station_id
LEFT JOIN manufacturers m ON m.manufacturer_id = i.manufacturer_id
JOIN intervention_status s USING (intervention_id)
JOIN intervention_policy p USING (intervention_id)
JOIN intervention_amounts a USING (intervention_id)
WHERE i.intervention_id = $intervention_id;
