"""The shared filters of every view (period, brand, station, territory, category, and the
interventions invoiced while blocked).

Bound into SQL as parameters: ``$date_from``/``$date_to`` (DATE or NULL) and list
parameters (``VARCHAR[]`` or NULL for "no filter"), used as::

    ($date_from IS NULL OR completed_on >= $date_from)
    AND ($manufacturer_ids IS NULL OR list_contains($manufacturer_ids, manufacturer_id))

``$invoiced_blocked`` (BOOLEAN or NULL) keeps only the rows whose intervention was invoiced while its
verification status is blocked (True), only the others (False), or every row (NULL). It needs each
intervention's row, so it applies where the selection is read per intervention or per dispute
(``queries/fragments/selection.sql``: the disputes analysis, the verification list, the work
queues); the figures read from the engine's per-cell totals (``fragments/cell_selection``: the
metric table, scores, the funnel) count every intervention of the other filters
(:func:`Filters.applies_to_cells` says whether that changes anything).
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
    #: True: only interventions invoiced while blocked; False: leave them out; None: no filter.
    invoiced_blocked: bool | None = None

    def __post_init__(self):
        for key in FILTER_KEYS:
            value = getattr(self, key)
            if isinstance(value, str):
                raise TypeError(f"{key} must be a sequence of values, not a string")
            object.__setattr__(self, key, tuple(sorted(set(value))))
        if self.invoiced_blocked is not None and not isinstance(self.invoiced_blocked, bool):
            raise TypeError("invoiced_blocked must be True, False or None")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("the period starts after it ends")

    def params(self) -> dict:
        """Bound parameters; an empty selection means "no filter" (NULL)."""
        out = {"date_from": self.date_from, "date_to": self.date_to, "invoiced_blocked": self.invoiced_blocked}
        for key in FILTER_KEYS:
            values = getattr(self, key)
            out[key] = list(values) if values else None
        return out

    @property
    def applies_to_cells(self) -> bool:
        """Whether figures read from the engine's per-cell totals honour every filter set (the
        invoiced-while-blocked filter needs each intervention's row: those figures ignore it)."""
        return self.invoiced_blocked is None

    def with_(self, **changes) -> "Filters":
        return replace(self, **changes)
