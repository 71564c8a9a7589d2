"""Layer 4, the engine: derived models refreshed before a store is published, and the journal of entries."""
