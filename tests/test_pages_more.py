"""Verification, disputes, territories, policies and import pages, and their analytics modules.

A small hand-made store (three stations in two countries, two manufacturers, policies
loaded through the real policy parser) gives hand-computed expected values; the page
tests (AppTest) run every page for each role and compare what the page shows with what
``analytics/`` returns for the same viewer and filters.
"""
from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from analytics.policy import in_force as policies
from analytics.contract import policy_format
from analytics.core import store
from analytics.engine import publishing
from analytics.page_data import territories
from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from tests import apptest, engine_fixture


# The base scalars of the engine fixture's policy (the spec's example), with our own labour rate.
_M01_VERSION = (
    "[[version]]\nvalid_from = {valid_from}\n[version.base]\n"
    + engine_fixture.M01_BASE_SCALARS.replace("labor_rate_per_hour = 48.50", "labor_rate_per_hour = {labor_rate}")
    + """\
required_documents = ["technician_report"]
[version.base.standard_minutes]
{standard_minutes}
[version.territory.PL]
currency = "PLN"
vat_rate = 0.23
labor_rate_per_hour = 190.00
[version.territory.FR]
labor_rate_per_hour = 52.00
[version.territory.FR.regions.FR10]
travel_flat_fee = 25.00
[version.station.S2]
max_travel_km = 160
""")
# Two versions: the second raises the base labour rate (46 -> 48) and adds a standard time;
# only the first has bonus tiers.
M01_TOML = (
    'manufacturer_id = "M01"\n\n'
    + _M01_VERSION.format(valid_from="2024-01-01", labor_rate="46.00", standard_minutes='"WM-PUMP" = 60')
    + "[[version.base.bonus_tiers]]\nmin_score = 80\nlabor_adjustment = 0.03\n\n"
    + _M01_VERSION.format(valid_from="2025-07-01", labor_rate="48.00",
                          standard_minutes='"WM-PUMP" = 60\n"WM-DRUM" = 150')
)

M02_TOML = """\
manufacturer_id = "M02"

[[version]]
valid_from = 2024-01-01
[version.base]
currency = "EUR"
vat_rate = 0.20
labor_rate_per_hour = 60.00
no_fault_found_fee = 30.00
travel_flat_fee = 20.00
travel_free_km = 10
travel_rate_per_km = 0.50
max_travel_km = 80
parts_markup = 0.05
warranty_months = 24
extended_months = 48
submission_deadline_days = 20
repeat_window_days = 30
labor_tolerance = 0.20
amount_tolerance = 0.02
[version.territory.FR]
travel_flat_fee = 22.00
"""

ON = dt.date(2025, 8, 1)
EVIL = "'); DROP TABLE stations; --<script>"


def _build_store(path: Path) -> None:
    with publishing.writer(path) as con:
        con.execute("INSERT INTO manufacturers VALUES ('M01', 'Alpha'), ('M02', $evil)", {"evil": EVIL})
        con.execute("""INSERT INTO stations VALUES
            ('S1', 'Station One', 'FR', 'FR10', 'Paris'),
            ('S2', 'Station Two', 'FR', 'FR20', 'Lyon'),
            ('S3', 'Station Three', 'PL', NULL, 'Warszawa')""")
        # M01 at S1, S2, S3; M02 at S2 only. Two months, plain repairs.
        rows = []
        n = 0
        for station, manufacturer, count in (("S1", "M01", 4), ("S2", "M01", 3), ("S3", "M01", 2), ("S2", "M02", 3)):
            for k in range(count):
                n += 1
                day = dt.date(2025, 7 + k % 2, 3 + k)
                rows.append((f"I{n:03d}", manufacturer, station, "washing_machine", None, f"SN{n}",
                             dt.date(2025, 1, 1), "warranty", "WM-PUMP", day, day + dt.timedelta(days=2),
                             day + dt.timedelta(days=3), 1 + (k % 2), 60, Decimal(0), Decimal("10.00"),
                             "repaired", None))
        con.executemany(engine_fixture.INSERT_INTERVENTION, rows)
        # S1 invoices its four M01 interventions; two of them are disputed (one resolved, one open)
        con.execute("INSERT INTO invoices VALUES ('INV1', 'M01', 'S1', DATE '2025-08-31', 'EUR', NULL, NULL)")
        con.execute("""INSERT INTO invoice_lines (invoice_id, line_no, intervention_id, kind, amount, vat_rate) VALUES
            ('INV1', 1, 'I001', 'labor', 52.00, 0.20), ('INV1', 2, 'I001', 'parts', 11.00, 0.20),
            ('INV1', 3, 'I002', 'labor', 52.00, 0.20), ('INV1', 4, 'I003', 'labor', 52.00, 0.20),
            ('INV1', 5, 'I004', 'labor', 52.00, 0.20)""")
        con.execute("""INSERT INTO disputes VALUES
            ('D1', 'INV1', 'I001', DATE '2025-09-05', 'manufacturer', 'DOC_MISSING', 20.00, DATE '2025-09-10',
             'station', 20.00),
            ('D2', 'INV1', 'I002', DATE '2025-09-06', 'station', 'OTHER', 10.00, NULL, NULL, NULL)""")
        for name, text in (("M01.toml", M01_TOML), ("M02.toml", M02_TOML)):
            parsed = policy_format.parse(name, text)
            assert parsed.ok, [p.message for p in parsed.problems]
            policy_format.store_policy(con, parsed)


@pytest.fixture(scope="module")
def small_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pages-more") / "small.duckdb"
    _build_store(path)
    return path


@pytest.fixture(scope="module")
def con(small_store):
    return store.reader(small_store)


MANAGER = Scope.manager()
M01 = Scope.manufacturer("M01")
M02 = Scope.manufacturer("M02")
S1 = Scope.station("S1")
S2 = Scope.station("S2")
S3 = Scope.station("S3")


# ---------------------------------------------------------------- analytics.policies

def test_versions_timeline_and_version_in_force(con):
    timeline = policies.versions(con, MANAGER, ON)
    got = [(m, str(pd.Timestamp(v).date()), None if pd.isna(t) else str(pd.Timestamp(t).date()), f)
           for m, v, t, f in timeline[["manufacturer_id", "valid_from", "valid_to", "in_force"]].itertuples(index=False)]
    assert got == [("M01", "2024-01-01", "2025-06-30", False), ("M01", "2025-07-01", None, True),
                   ("M02", "2024-01-01", None, True)]
    # the manager sees every override: M01 has FR and PL, one region, one station agreement
    first = timeline.iloc[0]
    assert (first.country_overrides, first.region_overrides, first.station_overrides) == (2, 1, 1)
    assert policies.version_in_force(con, MANAGER, "M01", dt.date(2025, 6, 30)) == dt.date(2024, 1, 1)
    assert policies.version_in_force(con, MANAGER, "M01", ON) == dt.date(2025, 7, 1)
    assert policies.version_in_force(con, MANAGER, "M01", dt.date(2023, 12, 31)) is None


def test_resolution_follows_base_country_region_station(con):
    def value(scope, manufacturer, key, **where):
        frame = policies.policy_in_force(con, scope, manufacturer, on=ON, **where).set_index("key")
        return frame.at[key, "value_text"], frame.at[key, "level"]

    assert value(MANAGER, "M01", "labor_rate_per_hour") == ("48", "base")
    assert value(MANAGER, "M01", "labor_rate_per_hour", country="FR") == ("52", "country")
    assert value(MANAGER, "M01", "travel_flat_fee", country="FR", region="FR10") == ("25", "region")
    assert value(MANAGER, "M01", "travel_flat_fee", country="FR", region="FR20") == ("18", "base")
    assert value(MANAGER, "M01", "max_travel_km", country="FR", region="FR20", station_id="S2") == ("160", "station")
    assert value(MANAGER, "M01", "currency", country="PL") == ("PLN", "country")
    # a region key only applies inside its own country
    assert value(MANAGER, "M01", "travel_flat_fee", country="PL", region="FR10") == ("18", "base")
    # tables merge key by key: both standard times of the version are there
    resolved = policies.policy_in_force(con, MANAGER, "M01", on=ON, country="FR")
    minutes = resolved[resolved["key"] == "standard_minutes"].set_index("item")["value_text"].to_dict()
    assert minutes == {"WM-DRUM": "150", "WM-PUMP": "60"}


def test_manufacturer_sees_only_its_own_policy(con):
    for frame in (policies.versions(con, M02), policies.values(con, M02), policies.bonus_tiers(con, M02),
                  policies.territory_parameters(con, M02, ON)):
        assert set(frame["manufacturer_id"]) <= {"M02"}
    assert policies.policy_in_force(con, M02, "M01", on=ON).empty
    assert policies.version_changes(con, M02, "M01").empty


def test_station_sees_only_what_applies_to_it(con):
    seen = policies.values(con, S1)
    assert set(seen["manufacturer_id"]) == {"M01"}  # S1 does no work for M02
    assert set(seen["territory"]) == {"base", "FR", "FR / FR10"}  # not PL, not S2's agreement
    s2 = policies.values(con, S2)
    assert set(s2["manufacturer_id"]) == {"M01", "M02"}
    assert set(s2["territory"]) == {"base", "FR", "station S2"}
    assert "S2" not in set(seen["station_id"])
    timeline = policies.versions(con, S1, ON)
    assert list(timeline["station_overrides"]) == [0, 0]
    assert list(timeline["country_overrides"]) == [1, 1]
    # a station asking for another territory only gets what applies to itself
    other = policies.policy_in_force(con, S1, "M01", on=ON, country="PL").set_index("key")
    assert other.at["currency", "value_text"] == "EUR"
    params = policies.territory_parameters(con, S1, ON)
    assert list(zip(params["manufacturer_id"], params["country"], params["region"])) == [("M01", "FR", "FR10")]


def test_territory_parameters_side_by_side(con):
    params = policies.territory_parameters(con, MANAGER, ON)
    keyed = params.set_index(["manufacturer_id", "country", "region"])
    assert list(keyed.index) == [("M01", "FR", ""), ("M01", "FR", "FR10"), ("M01", "FR", "FR20"),
                                 ("M01", "PL", ""), ("M02", "FR", ""), ("M02", "FR", "FR20")]
    assert keyed.loc[("M01", "FR", "FR10"), "labor_rate_per_hour"] == 52.0
    assert keyed.loc[("M01", "FR", "FR10"), "travel_flat_fee"] == 25.0
    assert keyed.loc[("M01", "FR", "FR10"), "overridden"] == "labor_rate_per_hour (country); travel_flat_fee (region)"
    assert keyed.loc[("M01", "PL", ""), "currency"] == "PLN"
    assert keyed.loc[("M01", "PL", ""), "vat_rate"] == 0.23
    assert keyed.loc[("M02", "FR", "FR20"), "travel_flat_fee"] == 22.0
    assert str(keyed.loc[("M01", "FR", ""), "valid_from"]) == "2025-07-01"
    earlier = policies.territory_parameters(con, MANAGER, dt.date(2024, 6, 1)).set_index(
        ["manufacturer_id", "country", "region"])
    assert earlier.loc[("M01", "FR", "FR20"), "labor_rate_per_hour"] == 52.0
    assert earlier.loc[("M01", "PL", ""), "labor_rate_per_hour"] == 190.0


def test_version_changes(con):
    changes = policies.version_changes(con, MANAGER, "M01")
    second = changes[changes["valid_from"] == dt.date(2025, 7, 1)]
    got = sorted(zip(second["territory"], second["key"], second["item"], second["before"], second["after"],
                     second["change"]), key=str)
    assert got == [("base", "labor_rate_per_hour", "", "46", "48", "changed"),
                   ("base", "standard_minutes", "WM-DRUM", None, "150", "added")]
    first = changes[changes["valid_from"] == dt.date(2024, 1, 1)]
    assert set(first["change"]) == {"added"}
    assert len(first) == len(policies.settings_of_version(con, MANAGER, "M01", dt.date(2024, 1, 1)))


def test_text_is_data(con):
    timeline = policies.versions(con, MANAGER, ON)
    assert EVIL in set(timeline["manufacturer_name"])
    assert policies.values(con, Scope.station(EVIL)).empty
    assert policies.versions(con, Scope.manufacturer(EVIL)).empty


_LEVEL_KEYS = hs.sampled_from(["a", "b", "c"])


@settings(max_examples=60, deadline=None)
@given(hs.lists(hs.tuples(hs.sampled_from(policies.LEVELS), hs.sampled_from(["FR", "PL"]),
                          hs.sampled_from(["", "FR10", "PL91"]), hs.sampled_from(["S1", "S2"]),
                          _LEVEL_KEYS, hs.sampled_from(["", "x"]), hs.integers(0, 9)), max_size=25),
       hs.sampled_from(["FR", "PL"]), hs.sampled_from(["", "FR10", "PL91"]), hs.sampled_from(["", "S1", "S2"]))
def test_resolve_matches_reference_merge(rows, country, region, station_id):
    """resolve() == applying base, country, region, station dicts in turn (policy-format.md)."""
    table = {}
    for level, c, r, s, key, item, val in rows:
        ident = (level, c if level in ("country", "region") else "", r if level == "region" else "",
                 s if level == "station" else "", key, item)
        table[ident] = val
    frame = pd.DataFrame(
        [dict(level=i[0], country=i[1], region=i[2], station_id=i[3], key=i[4], item=i[5], value_text=str(v),
              num_value=None, text_value=None, list_value=None, territory="")
         for i, v in table.items()],
        columns=["level", "country", "region", "station_id", "key", "item", "value_text", "num_value",
                 "text_value", "list_value", "territory"])
    expected: dict = {}
    for level, match in (("base", lambda i: True), ("country", lambda i: i[1] == country),
                         ("region", lambda i: region != "" and i[1] == country and i[2] == region),
                         ("station", lambda i: station_id != "" and i[3] == station_id)):
        for ident, val in table.items():
            if ident[0] == level and match(ident):
                expected[(ident[4], ident[5])] = (str(val), level)
    got = {(k, i): (v, lv) for k, i, v, lv in
           policies.resolve(frame, country, region, station_id)[["key", "item", "value_text", "level"]]
           .itertuples(index=False)}
    assert got == expected


# ---------------------------------------------------------------- analytics.territories

def test_map_column_and_metrics():
    assert territories.map_column("dispute_rate") == "dispute_rate"
    assert territories.map_column("requested_amount") == "requested_amount_eur"
    assert "interventions" in territories.MAP_METRICS and "days_to_pay_median" not in territories.MAP_METRICS
    with pytest.raises(ValueError):
        territories.map_column("nope")


def test_territory_table_hand_computed(con):
    from analytics.core.filters import Filters

    table = territories.territory_table(con, MANAGER, Filters(), "country").set_index("country")
    # FR: S1 4 + S2 3 (M01) + S2 3 (M02) = 10 interventions, visits 1,2,1,2 / 1,2,1 / 1,2,1 -> 6 single visits
    assert table.loc["FR", "interventions"] == 10 and table.loc["PL", "interventions"] == 2
    assert table.loc["FR", "first_time_fix_rate"] == pytest.approx(0.6)
    assert table.loc["PL", "first_time_fix_rate"] == pytest.approx(0.5)
    regions = territories.territory_table(con, MANAGER, Filters(), "region").set_index(["country", "region"])
    assert regions.loc[("FR", "FR20"), "interventions"] == 6 and regions.loc[("PL", ""), "interventions"] == 2
    mine = territories.territory_table(con, S1, Filters(), "region")
    assert list(zip(mine["country"], mine["region"], mine["interventions"])) == [("FR", "FR10", 4)]
    brand = territories.map_values(con, M02, Filters(), "interventions")
    assert list(zip(brand["country"], brand["value"])) == [("FR", 3)]
    with pytest.raises(ValueError):
        territories.territory_table(con, MANAGER, Filters(), "city")


def test_europe_geojson_is_local_and_well_formed():
    from ui import maps

    geo = maps.europe_geojson()
    ids = [f["id"] for f in geo["features"]]
    assert len(ids) == len(set(ids)) and {"FR", "DE", "PL", "SE", "ES", "IT", "GB", "NO"} <= set(ids)
    lon0, lat0, lon1, lat1 = -25.0, 34.0, 45.0, 71.5
    for feature in geo["features"]:
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert ring[0] == ring[-1] and len(ring) >= 4
                assert all(lon0 <= x <= lon1 and lat0 <= y <= lat1 for x, y in ring)
    frame = pd.DataFrame({"country": ["FR", "PL", "ZZ", "DE"], "v": [0.5, 0.25, 0.9, None]})
    fig = maps.europe_choropleth(frame, value_column="v", label="Rate", better="lower")
    assert fig.layout.map.style == "white-bg"
    background, data = fig.data
    assert len(background.locations) == len(ids)
    assert list(data.locations) == ["FR", "PL"] and list(data.z) == [0.5, 0.25]  # unknown and no-value left grey
    # darker is worse: lower is better, so the high (bad) end is the dark one — not reversed
    assert data.reversescale is False and data.colorscale[-1][1] == maps.GOOD_TO_BAD[-1][1]
    higher = maps.europe_choropleth(frame, value_column="v", label="Rate", better="higher").data[1]
    assert higher.reversescale is True


# ---------------------------------------------------------------- pages (AppTest)

ROLE_VIEWERS = {
    "manager": Viewer("demo-manager", MANAGER, is_admin=True),
    "manufacturer": Viewer("demo-m02", M02),
    "station": Viewer("demo-s1", S1),
}


def run_page(name: str, viewer: Viewer, db: Path, monkeypatch, query: dict | None = None):
    """Run ``pages/<name>.py`` for ``viewer`` on ``db`` (AppTest) with URL ``query``; no exception allowed."""
    return apptest.run_page(f"pages/{name}.py", viewer, db, monkeypatch, query)


def frame_with(at, *columns: str) -> pd.DataFrame:
    """The first table of the page having all ``columns`` (AppTest does not expose table keys)."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with columns {columns}")


def _all_text(at) -> str:
    """Everything a page shows as text: markdown, captions, metrics, tables and widget options."""
    parts = [str(e.value) for kind in ("title", "subheader", "markdown", "caption", "text", "info", "warning")
             for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [" ".join(map(str, box.options)) for box in at.selectbox]
    return "\n".join(parts)


@pytest.mark.parametrize("role", list(ROLE_VIEWERS))
def test_policies_page(role, small_store, con, monkeypatch):
    viewer = ROLE_VIEWERS[role]
    at = run_page("policies", viewer, small_store, monkeypatch)
    assert at.title[0].value == "Policies"
    expected_versions = policies.versions(con, viewer.scope)
    assert at.dataframe[0].value["manufacturer_id"].tolist() == expected_versions["manufacturer_id"].tolist()
    text = _all_text(at)
    if role == "manufacturer":
        assert "M01" not in text and "Alpha" not in text
    if role == "station":
        assert "M02" not in text and "S2" not in text and "PLN" not in text
    # the base values table is the version in force, base level only
    manufacturer = at.selectbox(key="policies_manufacturer").value
    version = at.selectbox(key="policies_version").value
    base = policies.settings_of_version(con, viewer.scope, manufacturer, version)
    base = base[base["level"] == "base"]
    shown = at.dataframe[1].value  # the versions table, then the base values
    assert shown["value"].tolist() == base["value_text"].tolist()


def test_policies_page_territory_resolution(small_store, monkeypatch):
    at = run_page("policies", ROLE_VIEWERS["manager"], small_store, monkeypatch)
    at.selectbox(key="policies_manufacturer").select("M01").run()
    box = at.selectbox(key="policies_territory")
    region = next(t for t in box.options if "FR10" in str(t))
    box.select(region if not isinstance(region, str) else ("FR", "FR10", "")).run()
    assert not at.exception
    resolved = frame_with(at, "key", "value", "from").set_index("key")
    assert resolved.at["travel_flat_fee", "value"] == "25" and resolved.at["travel_flat_fee", "from"] == "FR / FR10"
    assert resolved.at["labor_rate_per_hour", "value"] == "52" and resolved.at["labor_rate_per_hour", "from"] == "FR"
    assert resolved.at["vat_rate", "from"] == "base"


@pytest.mark.parametrize("role", list(ROLE_VIEWERS))
def test_territories_page(role, small_store, con, monkeypatch):
    from analytics.core.filters import Filters

    viewer = ROLE_VIEWERS[role]
    at = run_page("territories", viewer, small_store, monkeypatch)
    assert at.title[0].value == "Territories"
    countries = at.dataframe[0].value
    expected = territories.territory_table(con, viewer.scope, Filters(), "country")
    pd.testing.assert_frame_equal(countries.reset_index(drop=True), expected.reset_index(drop=True),
                                  check_dtype=False)
    regions = frame_with(at, "country", "region", "interventions")
    assert len(regions) == len(territories.territory_table(con, viewer.scope, Filters(), "region"))
    params = frame_with(at, "labor_rate_per_hour", "overridden")
    assert len(params) == len(territories.policy_parameters(con, viewer.scope))
    text = _all_text(at)
    if role == "station":
        assert set(countries["country"]) == {"FR"} and "S2" not in text and "S3" not in text
    if role == "manufacturer":
        assert "M01" not in text
        # M02 has no invoice: the default map metric (dispute rate) has no value anywhere
        assert any("the map stays grey" in i.value for i in at.info)


def _num(value):
    return None if value is None or pd.isna(value) else float(value)


@pytest.mark.parametrize("role", list(ROLE_VIEWERS))
def test_disputes_page(role, small_store, con, monkeypatch):
    from analytics.metrics import disputes, table as metrics
    from analytics.core.filters import Filters

    viewer = ROLE_VIEWERS[role]
    at = run_page("disputes", viewer, small_store, monkeypatch)
    assert at.title[0].value == "Disputes"
    overall = metrics.metric_table(con, viewer.scope, Filters()).iloc[0]
    shown = {m.label: m.value for m in at.metric}
    rate = _num(overall["dispute_rate"])
    assert shown["Dispute rate"] == ("—" if rate is None else f"{rate * 100:.1f} %")
    details = disputes.dispute_details(con, viewer.scope, Filters())
    text = _all_text(at)
    if role == "manufacturer":  # M02 has no dispute
        assert details.empty and "No dispute in this selection." in text and "M01" not in text
    else:
        # S1 and the manager see D1 (DOC_MISSING, flagged by verification) and D2 (OTHER): rate 2/4 invoiced
        assert shown["Dispute rate"] == "50.0 %"
        assert shown["Preventable by verification"] == "50.0 %"
        listed = frame_with(at, "dispute_id", "reason")
        assert sorted(listed["dispute_id"]) == sorted(details["dispute_id"]) == ["D1", "D2"]
        pareto = frame_with(at, "reason", "disputes", "cumulative_share")
        assert dict(zip(pareto["reason"], pareto["disputes"])) == {"DOC_MISSING": 1, "OTHER": 1}
        assert list(pareto["cumulative_share"]) == [0.5, 1.0]
    if role == "station":
        assert "S2" not in text and "S3" not in text


@pytest.mark.parametrize("role", list(ROLE_VIEWERS))
def test_verification_page(role, small_store, con, monkeypatch):
    from analytics.verification import queue as verification

    viewer = ROLE_VIEWERS[role]
    at = run_page("verification", viewer, small_store, monkeypatch)
    assert at.title[0].value == "Pre-invoice verification"
    queue = verification.verification_queue(con, viewer.scope)
    counts = {m.label.rsplit(" ", 1)[-1]: m.value for m in at.metric
              if m.label.rsplit(" ", 1)[-1] in ("blocked", "review", "ready")}
    for status in ("blocked", "review", "ready"):
        assert counts[status] == f"{int((queue['status'] == status).sum()):,}"
    table = frame_with(at, "intervention_id", "status", "explanations")
    assert sorted(table["intervention_id"]) == sorted(queue["intervention_id"])
    # the detail of the first row of the queue, with its findings' explanations verbatim
    first = table["intervention_id"].iloc[0]
    detail = verification.intervention_detail(con, viewer.scope, first)
    markdown = "\n".join(m.value for m in at.markdown)
    assert f"{first}" in markdown.replace("\\", "")
    for finding in detail["findings"]:
        assert finding["explanation"] in markdown.replace("\\", "")
    lines = frame_with(at, "component", "amount", "formula")
    assert list(lines["component"]) == ["labour", "travel", "parts", "total"]
    assert lines["amount"].iloc[-1] == f"{detail['amount']['calculated']:,.2f} {detail['amount']['currency']}"
    if role == "station":
        assert set(table["station_id"]) == {"S1"} and "S2" not in _all_text(at)
    if role == "manufacturer":
        assert set(table["manufacturer_id"]) == {"M02"}


def test_verification_page_refuses_an_intervention_outside_the_scope(small_store, monkeypatch):
    at = run_page("verification", ROLE_VIEWERS["station"], small_store, monkeypatch)
    box = next(t for t in at.text_input if t.label == "Intervention id")
    box.input("I010").run()  # an S2 intervention
    assert not at.exception
    assert any("No intervention with this id in your view." in i.value for i in at.info)
    assert "S2" not in _all_text(at)


@pytest.mark.parametrize("role", list(ROLE_VIEWERS))
def test_import_page_is_for_managers_only(role, small_store, monkeypatch):
    at = run_page("import_data", ROLE_VIEWERS[role], small_store, monkeypatch)
    has_uploader = len(at.get("file_uploader")) > 0
    if role == "manager":
        assert has_uploader and not at.error
    else:
        assert not has_uploader
        assert at.error[0].value == "Only network managers can import data."


class _Upload:
    def __init__(self, name: str, data: str | bytes):
        self.name = name
        self._data = data.encode("utf-8") if isinstance(data, str) else data

    def getvalue(self) -> bytes:
        return self._data


def test_run_import_lands_whole_or_reports_every_problem(tmp_path):
    from ui.importing import run_import

    db = tmp_path / "imp.duckdb"
    publishing.ensure_store(db)
    steps = []
    ok = run_import([_Upload("manufacturers.csv", f"manufacturer_id,name\nM9,\"{EVIL}\"\n"),
                     _Upload("stations.csv", "station_id,name,country,region,city\nS9,Nine,FR,,\n")],
                    db, lambda done, total, message: steps.append((done, total)))
    assert ok["ok"] and ok["rows"]["manufacturers"] == 1 and ok["rows"]["stations"] == 1 and steps
    assert store.reader(db).execute("SELECT name FROM manufacturers").fetchall() == [(EVIL,)]
    before = db.read_bytes()
    bad = run_import([_Upload("stations.csv", "station_id,name,country,region,city\nS8,,FR,,\nS7,Seven,,,\n")], db)
    assert bad["ok"] is False
    report = bad["problems"]
    assert list(report.columns) == ["file", "row", "column", "value", "rule", "message"]
    assert set(zip(report["file"], report["row"], report["column"])) >= {("stations.csv", 1, "name"),
                                                                         ("stations.csv", 2, "country")}
    assert db.read_bytes() == before  # nothing changed
    twice = run_import([_Upload("a/stations.csv", "x"), _Upload("b/stations.csv", "y")], db)
    assert "uploaded twice" in twice["usage"]


def test_excel_export_keeps_text_as_text():
    from openpyxl import load_workbook

    from ui.pagekit import to_xlsx

    frame = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", EVIL], "amount": [Decimal("12.50"), None]})
    book = load_workbook(__import__("io").BytesIO(to_xlsx(frame)))
    ws = book.active
    assert [c.value for c in ws[1]] == ["name", "amount"]
    assert ws["A2"].value == "=HYPERLINK(\"http://x\")" and ws["A2"].data_type == "s"
    assert ws["A3"].value == EVIL and ws["B2"].value == 12.5 and ws["B3"].value is None


def test_filters_from_the_url_reproduce_the_view(small_store, con, monkeypatch):
    from analytics.verification import queue as verification
    from analytics.core.filters import Filters

    at = run_page("territories", ROLE_VIEWERS["manager"], small_store, monkeypatch,
                  query={"country": ["PL"], "from": "2025-07-01", "to": "2025-07-31"})
    wanted = Filters(date_from=dt.date(2025, 7, 1), date_to=dt.date(2025, 7, 31), countries=("PL",))
    shown = at.dataframe[0].value
    pd.testing.assert_frame_equal(shown.reset_index(drop=True),
                                  territories.territory_table(con, MANAGER, wanted, "country").reset_index(drop=True),
                                  check_dtype=False)
    assert list(shown["country"]) == ["PL"] and list(shown["interventions"]) == [1]  # I008 (July); I009 is August
    assert at.multiselect(key="pk_filter_country").value == ["PL"]
    assert not at.warning
    at = run_page("verification", ROLE_VIEWERS["manager"], small_store, monkeypatch, query={"from": "2025-08-01"})
    table = frame_with(at, "intervention_id", "status", "explanations")
    expected = verification.verification_queue(con, MANAGER, Filters(date_from=dt.date(2025, 8, 1)))
    assert sorted(table["intervention_id"]) == sorted(expected["intervention_id"])
    assert len(expected) == 5 and all(d >= dt.date(2025, 8, 1) for d in expected["completed_on"])


def test_tampered_url_filters_are_refused(small_store, con, monkeypatch):
    # S1 works for M01 only and is in FR: M02, PL and SQL-looking values are not obeyed
    at = run_page("disputes", ROLE_VIEWERS["station"], small_store, monkeypatch,
                  query={"manufacturer": ["M02", EVIL], "country": ["PL"]})
    assert any("outside your view" in w.value for w in at.warning)
    text = _all_text(at)
    assert "M02" not in "".join(f.value.to_csv() for f in at.dataframe)
    assert at.multiselect(key="pk_filter_manufacturer").value == [] if at.multiselect else True
    assert "PL" not in [o for box in at.multiselect for o in box.options]
    listed = frame_with(at, "dispute_id", "reason")
    assert sorted(listed["dispute_id"]) == ["D1", "D2"]  # S1's own disputes, unfiltered
    assert "S2" not in text and "S3" not in text
