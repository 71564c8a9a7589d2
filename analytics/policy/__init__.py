"""Layer 6, billing policies as the viewer may see them: versions, overrides, what is in force where."""
