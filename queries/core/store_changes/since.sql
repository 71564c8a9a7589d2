-- The changes a replica at :seq has not applied yet, in order.
SELECT seq, kind, payload, written_at FROM store_changes WHERE epoch = :epoch AND seq > :seq ORDER BY seq
