"""Scope.require: a request for one station's or one brand's figures is refused outside the scope,
with the message each caller showed before (the checks it replaced)."""
from __future__ import annotations

import pytest

from analytics.access.scope import Scope, ScopeError

STATION = Scope.station("S1")
BRAND = Scope.manufacturer("M1")


def test_a_manager_may_ask_for_anything():
    Scope.manager().require(station_id="S9", manufacturer_id="M9")
    Scope.manager().require(station_id=None, manufacturer_id=None)


def test_a_station_asks_only_for_itself():
    STATION.require(station_id="S1", manufacturer_id="M9")  # any brand it serves: the SQL scope decides
    STATION.require(manufacturer_id="M9")  # no station asked
    with pytest.raises(ScopeError, match="^this view is limited to your own station$"):
        STATION.require(station_id="S2", manufacturer_id="M1")
    with pytest.raises(ScopeError, match="^this view is limited to your own station$"):
        STATION.require(station_id=None)  # asked, and not itself
    with pytest.raises(ScopeError, match="^a station may only see its own pre-invoices$"):
        STATION.require(station_id="S1' OR '1'='1", what="pre-invoices")


def test_a_manufacturer_asks_only_for_its_brand():
    BRAND.require(station_id="S9", manufacturer_id="M1")
    BRAND.require(station_id="S9")  # no brand asked
    with pytest.raises(ScopeError, match="^this view is limited to your own brand$"):
        BRAND.require(manufacturer_id="M2")
    with pytest.raises(ScopeError, match="^a manufacturer may only see its own brand's pre-invoices$"):
        BRAND.require(station_id="S1", manufacturer_id="M2", what="pre-invoices")
