-- The last completion day of a disputed intervention in the viewer's selection (NULL: no dispute):
-- the end of the default period the reasons' growth is measured over.
SELECT max(completed_on) AS last_day
FROM dispute_facts
WHERE
-- include: fragments/selection
;
