"""Layer 12, what a page reads (overview, scorecard, territories): imported by ui/pages only."""
