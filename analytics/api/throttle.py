"""Throttling per token: a token bucket (``rate`` requests a second, bursts up to ``burst``).

Each token has a bucket of ``burst`` credits that refills at ``rate`` a second; a request takes
one credit, and when none is left it is refused with ``429`` and ``Retry-After`` (the whole
seconds until a credit is back). The buckets live in the serving process (one uvicorn process
serves the API); the clock is injectable for tests.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable


@dataclass
class TokenBuckets:
    rate: float = 20.0
    burst: float = 40.0
    clock: Callable[[], float] = time.monotonic
    _state: dict[str, tuple[float, float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, key: str) -> float:
        """Take one credit from ``key``'s bucket: 0 when granted, else the seconds to wait."""
        with self._lock:
            now = self.clock()
            credits, last = self._state.get(key, (self.burst, now))
            credits = min(self.burst, credits + (now - last) * self.rate)
            if credits >= 1:
                self._state[key] = (credits - 1, now)
                return 0.0
            self._state[key] = (credits, now)
            return (1 - credits) / self.rate

    @staticmethod
    def retry_after(wait: float) -> str:
        """``Retry-After`` in whole seconds (at least 1)."""
        return str(max(1, math.ceil(wait)))
