"""The shared filters of every view (period, brand, station, territory, category).

Bound into SQL as parameters: ``$date_from``/``$date_to`` (DATE or NULL) and list
parameters (``VARCHAR[]`` or NULL for "no filter"), used as::

    ($date_from IS NULL OR completed_on >= $date_from)
    AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

FILTER_KEYS = ("manufacturer_ids", "station_ids", "countries", "regions", "product_categories")


@dataclass(frozen=True)
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    manufacturer_ids: tuple[str, ...] = field(default=())
    station_ids: tuple[str, ...] = field(default=())
    countries: tuple[str, ...] = field(default=())
    regions: tuple[str, ...] = field(default=())
    product_categories: tuple[str, ...] = field(default=())

    def __post_init__(self):
        for key in FILTER_KEYS:
            value = getattr(self, key)
            if isinstance(value, str):
                raise TypeError(f"{key} must be a sequence of values, not a string")
            object.__setattr__(self, key, tuple(sorted(set(value))))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("the period starts after it ends")

    def params(self) -> dict:
        """Bound parameters; an empty selection means "no filter" (NULL)."""
        out = {"date_from": self.date_from, "date_to": self.date_to}
        for key in FILTER_KEYS:
            values = getattr(self, key)
            out[key] = list(values) if values else None
        return out

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)
