UPDATE store_replica SET seq = $seq
