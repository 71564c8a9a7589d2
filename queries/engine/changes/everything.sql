-- Whether a change with no rule was recorded (the refresh must be full).
SELECT 1 FROM engine_changes WHERE kind = 'everything' LIMIT 1;
