-- The change set was taken into account: the next write records its own (or gets a full refresh).
DROP TABLE IF EXISTS temp.engine_changes;
