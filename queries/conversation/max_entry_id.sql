-- The largest entry_id stored (0 when none): new entries get larger ids, so id order is write order.
SELECT coalesce(max(entry_id), 0) FROM finding_entries;
