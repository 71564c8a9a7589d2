-- Fragment: the outlier_band_values rows of eng_band_ranked's pairs: each distinct value within the band
-- and how many members hold it.
SELECT group_key, measure, v, n
FROM eng_band_ranked
WHERE idx BETWEEN lo_idx AND hi_idx
