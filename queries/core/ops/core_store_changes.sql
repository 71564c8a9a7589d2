-- The change log of a replicated store (analytics/core/store.py): every change applied to a
-- replica, in order, so that the other replica replays it before its next write.
-- epoch: the replica set the change belongs to (a new one each time a plain store is converted).
CREATE TABLE store_changes (
    epoch TEXT NOT NULL,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    written_at TEXT NOT NULL,
    PRIMARY KEY (epoch, seq)
);
-- One row: the current epoch and the sequence number of the published replica.
CREATE TABLE store_layout (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    published_seq INTEGER NOT NULL
)
