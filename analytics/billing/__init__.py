"""Layer 10, billing documents: the monthly pre-invoice, its parties, and the e-invoice (EN 16931) issued from it or checked against it."""
