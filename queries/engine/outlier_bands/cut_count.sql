-- How many (group, measure) pairs the incremental refresh must cut again (eng_band_cut).
SELECT count(*) FROM eng_band_cut;
