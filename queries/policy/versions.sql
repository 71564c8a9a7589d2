-- Policy versions timeline (policy-format.md): one row per version of each manufacturer's
-- policy the viewer may see: the day it takes effect (valid_from), the last day it is in force
-- (the day before the next version's valid_from; NULL while it is the latest) and whether it is
-- the version in force on $on (NULL $on: today).
-- Scope: a manager sees every policy; a manufacturer only its own; a station only those of the
-- manufacturers whose interventions it has done.
WITH visible_versions AS (
    SELECT v.manufacturer_id, v.valid_from,
           lead(v.valid_from) OVER (PARTITION BY v.manufacturer_id ORDER BY v.valid_from) AS next_from
    FROM policy_versions v
    WHERE
-- include: fragments/scope_brands
)
SELECT v.manufacturer_id,
       m.name AS manufacturer_name,
       v.valid_from,
       CAST(v.next_from - 1 AS DATE) AS valid_to,
       (v.valid_from <= coalesce(CAST($on AS DATE), current_date)
        AND (v.next_from IS NULL OR v.next_from > coalesce(CAST($on AS DATE), current_date))) AS in_force
FROM visible_versions v
LEFT JOIN manufacturers m USING (manufacturer_id)
ORDER BY v.manufacturer_id, v.valid_from;
