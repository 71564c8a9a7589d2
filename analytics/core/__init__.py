"""Layer 1, the foundation: configuration, named SQL, the store (readers, the writer), filters, problems."""
