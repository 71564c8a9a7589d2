-- How many distinct values an outlier band keeps on each side of its group's 95th percentile
-- (analytics/engine/outlier_bands.HALF_WIDTH; docs/ENGINE.md "Outlier bands").
CREATE OR REPLACE TEMP TABLE eng_band_width AS SELECT CAST($half_width AS BIGINT) AS half_width;
