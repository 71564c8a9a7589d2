"""Who sees what: the viewer's scope, applied in SQL with bound parameters.

Every public query function of ``analytics`` takes a :class:`Scope` and passes
:meth:`Scope.params` to its SQL, whose filter is written once per query as::

    ($scope_manufacturer IS NULL OR manufacturer_id = $scope_manufacturer)
    AND ($scope_station IS NULL OR station_id = $scope_station)

A page cannot widen its scope: filters are intersected with it (:meth:`Scope.check_filter`
refuses a value outside it) and the scope comes from the logged-in user, not from
the URL.
"""
from __future__ import annotations

from dataclasses import dataclass

ROLES = ("manager", "manufacturer", "station")


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
        if self.manufacturer_id is not None:
            outside = [m for m in manufacturer_ids if m != self.manufacturer_id]
            if outside:
                raise ScopeError("this view is limited to your own brand")
        if self.station_id is not None:
            outside = [s for s in station_ids if s != self.station_id]
            if outside:
                raise ScopeError("this view is limited to your own station")
