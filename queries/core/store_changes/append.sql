-- A change, logged before the replica that applied it commits (replace: a change logged by a
-- writer killed before it published was never acknowledged; the seq is taken again).
-- written_at: the change's own time (UTC), which every replica's engine stamps on history rows.
INSERT OR REPLACE INTO store_changes (epoch, seq, kind, payload, written_at)
VALUES (:epoch, :seq, :kind, :payload, :written_at)
