"""Layer 7, pre-invoice verification: the queue, the findings and one intervention's explanation."""
