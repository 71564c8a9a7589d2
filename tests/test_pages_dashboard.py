"""The pages' drill-down, funnel and empty states (AppTest on the session's demo store, 20,000
interventions): what each page shows is what ``analytics/`` returns for the same viewer, filters
and click (a click is its URL parameter: ``reason``, ``country``, ``region``)."""
from __future__ import annotations

import pytest

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.core import store
from analytics.core.filters import Filters
from analytics.metrics import disputes
from analytics.page_data import disputes as disputes_page, overview, territories
from tests.apptest import run_page

MANAGER = Viewer("demo-manager", Scope.manager(), is_admin=True)
BRAND = Viewer("demo-m01", Scope.manufacturer("M01"))


@pytest.fixture(scope="module")
def con(demo_store_path):
    return store.reader(demo_store_path)


def _frame(at, key):
    """The table drawn with ``key`` (a selectable one), or holding the columns ``key`` (a tuple)."""
    if isinstance(key, tuple):
        return next(d.value for d in at.dataframe if set(key) <= set(d.value.columns))
    return next(d.value for d in at.dataframe if d.key == key)


def test_a_reason_from_the_pareto_filters_the_list_and_the_breakdown(demo_store_path, monkeypatch, con):
    reasons = disputes.dispute_prevention(con, BRAND.scope, Filters(), by="reason")
    reason = reasons.sort_values("disputes", ascending=False)["reason"].iloc[0]
    at = run_page("pages/disputes.py", BRAND, demo_store_path, monkeypatch, {"reason": reason})
    listed = _frame(at, "disputes_list")
    assert len(listed) == int(reasons.loc[reasons["reason"] == reason, "disputes"].iloc[0])
    assert set(listed["reason"]) == {reason}
    counted = _frame(at, ("country", "disputes", "open_disputes"))
    assert counted["disputes"].sum() == len(listed)
    assert list(counted["disputes"]) == sorted(counted["disputes"], reverse=True)
    assert any(b.key == "disputes_reason_clear" for b in at.button)  # the filter is shown, removable


def test_reasons_growing_fastest_first(demo_store_path, monkeypatch, con):
    at = run_page("pages/disputes.py", MANAGER, demo_store_path, monkeypatch)
    shown = _frame(at, "disputes_growth")
    expected = disputes_page.reason_growth(con, MANAGER.scope, Filters())
    assert list(shown["reason"]) == list(expected["reason"])
    assert list(shown["change"]) == sorted(shown["change"], reverse=True)


def test_station_breakdown_is_refused_to_a_station(con):
    with pytest.raises(Exception, match="station viewer"):
        disputes_page.breakdown(con, Scope.station("S0028"), Filters(), "station")


def test_a_country_shows_its_regions_and_a_region_its_stations(demo_store_path, monkeypatch, con):
    at = run_page("pages/territories.py", MANAGER, demo_store_path, monkeypatch, {"country": "DE"})
    assert any(s.value == "Regions of Germany" for s in at.subheader)
    region = territories.territory_table(con, MANAGER.scope, Filters(countries=("DE",)), "region")
    region = region.loc[region["region"] != "", "region"].iloc[0]
    at = run_page("pages/territories.py", MANAGER, demo_store_path, monkeypatch, {"country": "DE", "region": region})
    assert any(s.value == f"Stations of {region}" for s in at.subheader)
    stations = _frame(at, ("station_id", "name", "dispute_rate"))
    expected = territories.territory_table(con, MANAGER.scope, Filters(countries=("DE",), regions=(region,)), "station")
    assert list(stations["station_id"]) == list(expected["station_id"]) and stations["name"].notna().all()


def test_the_overview_funnel_goes_down(demo_store_path, monkeypatch, con):
    at = run_page("pages/overview.py", MANAGER, demo_store_path, monkeypatch)
    table = _frame(at, ("stage", "interventions"))
    counts = overview.funnel(con, MANAGER.scope, Filters())
    assert list(table["interventions"]) == [counts[s] for s in (*overview.FUNNEL_STAGES, *overview.BESIDE_FUNNEL)]
    assert list(table["stage"])[:4] == ["Reported", "Ready", "Ready and invoiced", "Ready, invoiced and paid"]
    assert counts["reported"] >= counts["ready"] >= counts["invoiced"] >= counts["paid"]
    assert any("Invoiced while blocked" in m.label for m in at.metric)


def test_a_search_with_no_match_says_so(demo_store_path, monkeypatch):
    at = run_page("pages/stations.py", BRAND, demo_store_path, monkeypatch)
    at.text_input(key="stations_search").input("no such station").run()
    assert not at.exception
    assert any("No station matches" in i.value for i in at.info)
    assert not any(d.key == "stations_table" for d in at.dataframe)


def test_a_station_is_told_up_front_which_brand_withholds_its_comparison(demo_store_path, monkeypatch, con):
    station = con.execute("SELECT station_id FROM users WHERE username = 'station2'").fetchall()[0][0]
    viewer = Viewer("station2", Scope.station(station))
    at = run_page("pages/scorecard.py", viewer, demo_store_path, monkeypatch)
    assert any("withheld for" in i.value for i in at.info)


def test_a_country_draws_its_regions_as_shapes_coloured_by_the_metric(demo_store_path, monkeypatch, con):
    import json

    from ui.maps import REGIONS_GEOJSON_PATH

    at = run_page("pages/territories.py", MANAGER, demo_store_path, monkeypatch, {"country": "DE"})
    chart = next(c for c in at.get("plotly_chart") if c.proto.id and "territories_region_map" in c.proto.id)
    figure = json.loads(chart.proto.spec)
    shapes = {f["id"] for f in json.load(open(REGIONS_GEOJSON_PATH))["features"] if f["properties"]["country"] == "DE"}
    coloured = figure["data"][-1]  # the regions with a value, over the grey shapes of every region of Germany
    assert set(figure["data"][1]["locations"]) == shapes
    expected = territories.territory_table(con, MANAGER.scope, Filters(countries=("DE",)), "region")
    expected = expected[expected["region"].isin(shapes)].dropna(subset=["dispute_rate"])
    assert dict(zip(coloured["locations"], coloured["z"])) == pytest.approx(
        dict(zip(expected["region"], expected["dispute_rate"] * 100)))
    assert all(c.startswith("region:") for c in coloured["customdata"])
    assert figure["layout"]["map"]["style"] == "white-bg"  # no tiles: nothing fetched


DISPUTES_SHOWN = 500  # pages/disputes.py SHOWN_ROWS (a page script runs when imported: not imported here)


def test_a_long_dispute_list_shows_its_newest_rows_and_says_the_export_holds_them_all(demo_store_path, monkeypatch,
                                                                                       con):
    whole = disputes.dispute_details(con, MANAGER.scope, Filters())
    assert len(whole) > DISPUTES_SHOWN, "the demo store should hold more disputes than the list shows"
    at = run_page("pages/disputes.py", MANAGER, demo_store_path, monkeypatch)
    listed = _frame(at, "disputes_list")
    # the newest first: the list is the whole list's first rows
    assert list(listed["dispute_id"]) == list(whole["dispute_id"].head(DISPUTES_SHOWN))
    assert any(f"the export holds all {len(whole):,}" in c.value for c in at.caption)
