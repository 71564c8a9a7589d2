-- The time a refresh stamps on the history rows it opens and closes (UTC).
CREATE OR REPLACE TEMP TABLE eng_now AS SELECT CAST($at AS TIMESTAMP) AS refreshed_at;
