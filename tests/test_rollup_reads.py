"""Page figures that now read the engine's rollups instead of the interventions, checked against
a plain pandas reference over the contract tables and the engine's per-intervention status, on the
session's demo store: the pre-invoices on offer (``analytics.preinvoice.available``) and the
territory parameters (dict look-ups) against ``analytics.policies.resolve`` territory by territory.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics import policies, preinvoice, store
from analytics.scope import Scope


@pytest.fixture(scope="module")
def con(demo_store_path):
    return store.reader(demo_store_path)


def _reference_available(con, station: str | None, month: str | None) -> pd.DataFrame:
    iv = con.execute("SELECT i.intervention_id, i.station_id, i.manufacturer_id, i.completed_on, s.status "
                     "FROM interventions i JOIN intervention_status s USING (intervention_id)").df()
    iv["month"] = pd.to_datetime(iv["completed_on"]).dt.strftime("%Y-%m")
    if station:
        iv = iv[iv["station_id"] == station]
    if month:
        iv = iv[iv["month"] == month]
    iv["is_ready"] = (iv["status"] == "ready").astype(int)
    out = (iv.groupby(["month", "station_id", "manufacturer_id"], as_index=False)
           .agg(interventions=("intervention_id", "size"), ready=("is_ready", "sum")))
    out["left_out"] = out["interventions"] - out["ready"]
    out = out.sort_values(["month", "station_id", "manufacturer_id"], ascending=[False, True, True])
    return out.reset_index(drop=True)


@pytest.mark.parametrize("station", [None, "S0001"])
@pytest.mark.parametrize("month", [None, "2025-03"])
def test_available_preinvoices_match_the_interventions(con, station, month):
    scope = Scope.station(station) if station else Scope.manager()
    got = preinvoice.available(con, scope, month)
    want = _reference_available(con, station, month)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want, check_dtype=False)


@pytest.mark.parametrize("on", [dt.date(2024, 6, 1), dt.date(2025, 12, 31)])
def test_territory_parameters_match_resolve(con, on):
    """The side-by-side table (dict look-ups per level) gives what ``resolve`` gives, territory by territory."""
    table = policies.territory_parameters(con, Scope.manager(), on)
    assert len(table) > 10
    timeline = policies.versions(con, Scope.manager(), on)
    in_force = dict(zip(timeline.loc[timeline["in_force"], "manufacturer_id"],
                        timeline.loc[timeline["in_force"], "valid_from"]))
    for row in table.to_dict("records"):
        settings = policies.settings_of_version(con, Scope.manager(), row["manufacturer_id"],
                                                in_force[row["manufacturer_id"]])
        resolved = policies.resolve(settings[settings["item"] == ""], row["country"], row["region"]).set_index("key")
        for key in policies.TERRITORY_KEYS:
            if key not in resolved.index:
                assert row[key] is None or pd.isna(row[key])
                continue
            num = resolved.at[key, "num_value"]
            want = float(num) if num is not None and not pd.isna(num) else resolved.at[key, "value_text"]
            assert row[key] == want, (row["manufacturer_id"], row["country"], row["region"], key)
        overridden = [f"{k} ({resolved.at[k, 'level']})" for k in policies.TERRITORY_KEYS
                      if k in resolved.index and resolved.at[k, "level"] != "base"]
        assert row["overridden"] == "; ".join(overridden)
