-- End of a live read: the temp tables that shadowed the stored ones on this connection.
DROP TABLE IF EXISTS temp.finding_queue;
DROP TABLE IF EXISTS temp.intervention_status;
DROP TABLE IF EXISTS temp.finding_decisions;
DROP TABLE IF EXISTS temp.finding_entries;
DROP TABLE IF EXISTS temp.eng_iv_status;
