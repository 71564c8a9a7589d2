"""Layer 10, billing documents: the monthly pre-invoice."""
