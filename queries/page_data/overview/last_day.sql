-- The last completion day of the interventions in the viewer's scope (NULL: none): the data's
-- end, so that a month it cuts short is marked incomplete on every trend.
-- intervention_facts is sorted by manufacturer and completed_on: min/max read its zone maps.
SELECT max(completed_on) AS last_day
FROM intervention_facts
WHERE
-- include: fragments/scope
;
