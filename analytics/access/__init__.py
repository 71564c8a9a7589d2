"""Layer 3, who sees what: the viewer's scope, users, login and sessions."""
