"""Who sees what: the viewer's scope, applied in SQL with bound parameters.

Every public query function of ``analytics`` takes a :class:`Scope` and passes
:meth:`Scope.params` to its SQL. The SQL condition is written once, in
``queries/fragments/scope.sql`` (and the fragments built on it: ``selection``,
``cell_period_and_territory``, ``scope_brands``, ``scope_policy_values``,
``sees_other_stations``), which every query includes; ``tests/test_sql_files.py`` fails when
another query file names a scope parameter.

A page cannot widen its scope: filters are intersected with it (:meth:`Scope.check_filter`
refuses a value outside it), a request for one station or brand is refused outside it
(:meth:`Scope.require`), and the scope comes from the logged-in user, not from the URL.
"""
from __future__ import annotations

from dataclasses import dataclass

ROLES = ("manager", "manufacturer", "station")
#: Default of :meth:`Scope.require`'s arguments: that key was not asked for.
_NOT_ASKED = object()


class ScopeError(PermissionError):
    """A request asked for data outside the viewer's scope."""


@dataclass(frozen=True)
class Scope:
    role: str
    manufacturer_id: str | None = None
    station_id: str | None = None

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == "manufacturer" and not self.manufacturer_id:
            raise ValueError("a manufacturer scope needs a manufacturer_id")
        if self.role == "station" and not self.station_id:
            raise ValueError("a station scope needs a station_id")
        if self.role == "manager" and (self.manufacturer_id or self.station_id):
            raise ValueError("a manager scope is unrestricted")
        if self.role == "manufacturer" and self.station_id:
            raise ValueError("a manufacturer scope covers all its stations")
        if self.role == "station" and self.manufacturer_id:
            raise ValueError("a station scope covers all the brands it serves")

    @classmethod
    def manager(cls) -> "Scope":
        return cls("manager")

    @classmethod
    def manufacturer(cls, manufacturer_id: str) -> "Scope":
        return cls("manufacturer", manufacturer_id=manufacturer_id)

    @classmethod
    def station(cls, station_id: str) -> "Scope":
        return cls("station", station_id=station_id)

    def params(self) -> dict[str, str | None]:
        """Bound parameters for the scope filter of a named query."""
        return {"scope_manufacturer": self.manufacturer_id, "scope_station": self.station_id}

    @property
    def sees_other_stations(self) -> bool:
        """Whether the viewer may see other stations by name (station users may not)."""
        return self.role != "station"

    def check_filter(self, *, manufacturer_ids=(), station_ids=()) -> None:
        """Refuse filter values naming a brand or a station outside the scope."""
        if self.manufacturer_id is not None and any(m != self.manufacturer_id for m in manufacturer_ids):
            raise ScopeError("this view is limited to your own brand")
        if self.station_id is not None and any(s != self.station_id for s in station_ids):
            raise ScopeError("this view is limited to your own station")

    def require(self, *, station_id: str | None | object = _NOT_ASKED,
                manufacturer_id: str | None | object = _NOT_ASKED, what: str | None = None) -> None:
        """Refuse a request for one station's or one brand's figures outside the scope.

        ``station_id`` / ``manufacturer_id``: the station and brand asked for (left out: not asked).
        A station scope may ask only for itself, a manufacturer scope only for its own brand;
        :class:`ScopeError` otherwise, saying "this view is limited to your own station|brand",
        or, with ``what`` (e.g. "pre-invoices"), "a station may only see its own <what>" /
        "a manufacturer may only see its own brand's <what>".
        """
        if self.station_id is not None and station_id is not _NOT_ASKED and station_id != self.station_id:
            raise ScopeError(f"a station may only see its own {what}" if what
                             else "this view is limited to your own station")
        if self.manufacturer_id is not None and manufacturer_id is not _NOT_ASKED \
                and manufacturer_id != self.manufacturer_id:
            raise ScopeError(f"a manufacturer may only see its own brand's {what}" if what
                             else "this view is limited to your own brand")
