-- Which change of the log a replica holds (analytics/core/store.py, replicated layout).
CREATE OR REPLACE TABLE store_replica AS SELECT CAST($epoch AS VARCHAR) AS epoch, CAST($seq AS BIGINT) AS seq
