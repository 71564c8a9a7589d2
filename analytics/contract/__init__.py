"""Layer 5, the data contract: its tables, the policy format, the importer and the export."""
