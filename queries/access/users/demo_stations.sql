-- Candidate stations for the demo station users.
-- A station's comparison group for a brand is the stations with interventions of that
-- brand in the same country (the scorecard's "comparable stations"). Per station:
-- brands served, interventions, and the smallest and largest comparison group among
-- the brands it serves.
WITH served AS (
    SELECT i.station_id, i.manufacturer_id, s.country, count(*) AS n
    FROM interventions i JOIN stations s USING (station_id)
    GROUP BY ALL
),
groups AS (
    SELECT manufacturer_id, country, count(DISTINCT station_id) AS group_size
    FROM served
    GROUP BY ALL
)
SELECT sv.station_id,
       count(DISTINCT sv.manufacturer_id) AS brands,
       sum(sv.n) AS interventions,
       min(g.group_size) AS smallest_group,
       max(g.group_size) AS largest_group
FROM served sv JOIN groups g USING (manufacturer_id, country)
GROUP BY sv.station_id
ORDER BY sv.station_id;
