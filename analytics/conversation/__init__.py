"""Layer 9, the conversation on findings: threads, entries and their rights."""
