-- Fragment: two of the groups in scope (eng_group) sharing a hash are refused rather than merged (every
-- group in a full refresh; a collision has odds of about 10^-11 for 10,000 groups).
SELECT error('two outlier groups share the key ' || group_key || ': ' || string_agg(manufacturer_id || '/' || repair_code, ', '))
FROM (SELECT manufacturer_id, repair_code,
-- include: fragments/outlier_group_key
      AS group_key FROM eng_group)
GROUP BY group_key
HAVING count(*) > 1
