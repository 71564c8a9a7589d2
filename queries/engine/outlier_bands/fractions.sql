-- The distinct interpolation fractions of eng_threshold_pair: quantile_cont takes its fraction as a
-- constant, so each is interpolated by one statement (engine/outlier_bands/interpolate).
SELECT DISTINCT fraction FROM eng_threshold_pair ORDER BY fraction;
