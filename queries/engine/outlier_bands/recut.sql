-- The pairs of eng_band_cut get their band cut again from their values (the full refresh's cut).
DELETE FROM outlier_bands b USING eng_band_cut c WHERE b.group_key = c.group_key AND b.measure = c.measure;

DELETE FROM outlier_band_values b USING eng_band_cut c WHERE b.group_key = c.group_key AND b.measure = c.measure;

-- include: fragments/outlier_band_ranked
;

INSERT INTO outlier_bands
-- include: fragments/outlier_band_cuts
;

INSERT INTO outlier_band_values
-- include: fragments/outlier_band_members
;
