"""Layer 8, the figures: the metric table, the score, the disputes analysis."""
