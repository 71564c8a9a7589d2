"""The person looking at the dashboard: who they are and what they may see."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from analytics.access.scope import Scope


@dataclass(frozen=True)
class Viewer:
    username: str
    scope: Scope
    is_admin: bool = False
    logged_in_at: float = field(default_factory=time.time)

    @property
    def role(self) -> str:
        return self.scope.role
