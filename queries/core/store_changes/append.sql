-- A change, logged before the replica that applied it commits (replace: a change logged by a
-- writer killed before it published was never acknowledged; the seq is taken again).
INSERT OR REPLACE INTO store_changes (epoch, seq, kind, payload, written_at)
VALUES (:epoch, :seq, :kind, :payload, strftime('%Y-%m-%dT%H:%M:%f', 'now'))
