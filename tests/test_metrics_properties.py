"""Property tests: the SQL metrics equal the plain-Python reference (tests/reference.py)
on random small datasets, for random filters, groupings and scopes."""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import reference
from tests.metrics_fixture import World

from analytics.metrics import score
from analytics.metrics import table as metrics
from analytics.core.filters import Filters
from analytics.access.scope import Scope

START = dt.date(2024, 1, 20)
STATIONS = {"S1": ("FR", "FR10"), "S2": ("FR", None), "S3": ("PL", "PL9"), "S4": ("DE", None)}
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]

@st.composite
def worlds(draw, min_interventions=0, max_interventions=18, manufacturers=("M1", "M2")):
    w = World()
    for m in manufacturers:
        w.manufacturer(m)
    for s, (country, region) in STATIONS.items():
        w.station(s, country, region)
    n = draw(st.integers(min_interventions, max_interventions))
    invoiced = []
    for k in range(n):
        iid = f"I{k:03d}"
        m = draw(st.sampled_from(manufacturers))
        s = draw(st.sampled_from(sorted(STATIONS)))
        req = START + dt.timedelta(days=draw(st.integers(0, 100)))
        comp = req + dt.timedelta(days=draw(st.integers(0, 6)))
        sub = comp + dt.timedelta(days=draw(st.integers(0, 35)))
        policy = draw(st.booleans()) or draw(st.booleans())
        currency = "PLN" if STATIONS[s][0] == "PL" else "EUR"
        docs = [(f"doc{j}", draw(st.one_of(st.none(), st.just(sub + dt.timedelta(days=draw(st.integers(-3, 2)))))))
                for j in range(draw(st.integers(0, 2)))]
        w.intervention(iid, m, s, req, comp, sub,
                       category=draw(st.sampled_from(["tv", "fridge"])),
                       serial=f"SN{draw(st.integers(0, 5))}", visits=draw(st.integers(1, 2)),
                       rating=draw(st.one_of(st.none(), st.integers(1, 5))), policy=policy,
                       deadline=draw(st.sampled_from([10, 30])), currency=currency,
                       status=draw(st.sampled_from(["ready", "review", "blocked"])), docs=docs,
                       calculated=str(Decimal(draw(st.integers(0, 50000))) / 100),
                       labor=str(Decimal(draw(st.integers(0, 9000))) / 100))
        if draw(st.booleans()):
            invoiced.append((iid, m, s, comp, policy))
    for k, (iid, m, s, comp, policy) in enumerate(invoiced):
        issued = comp + dt.timedelta(days=draw(st.integers(0, 20)))
        paid = draw(st.one_of(st.none(), st.integers(0, 40)))
        currency = "PLN" if STATIONS[s][0] == "PL" else draw(st.sampled_from(["EUR", "EUR", "PLN"]))
        w.invoice(f"V{k:03d}", m, s, issued, [(iid, str(Decimal(draw(st.integers(0, 30000))) / 100))
                                             for _ in range(draw(st.integers(1, 2)))],
                  paid_on=None if paid is None else issued + dt.timedelta(days=paid), currency=currency)
        for j in range(draw(st.integers(0, 2))):
            opened = issued + dt.timedelta(days=draw(st.integers(0, 10)))
            resolved = draw(st.one_of(st.none(), st.integers(0, 30)))
            w.dispute(f"D{k:03d}{j}", f"V{k:03d}", iid, opened, draw(st.sampled_from(["AMOUNT_MISMATCH", "OTHER"])),
                      str(Decimal(draw(st.integers(0, 9000))) / 100),
                      resolved_on=None if resolved is None else opened + dt.timedelta(days=resolved),
                      outcome=None if resolved is None else draw(st.sampled_from(
                          ["station", "manufacturer", "split", "withdrawn"])))
    for month in MONTHS:
        if draw(st.integers(0, 4)):
            w.fx("PLN", month, "0.23" if month < "2024-04" else "0.251234")
    return w

@st.composite
def filters(draw):
    def day():
        return draw(st.one_of(st.none(), st.just(START + dt.timedelta(days=draw(st.integers(-5, 110))))))
    a, b = day(), day()
    if a and b and a > b:
        a, b = b, a
    subset = lambda values: tuple(draw(st.lists(st.sampled_from(values), max_size=2, unique=True)))  # noqa: E731
    return Filters(date_from=a, date_to=b,
                   manufacturer_ids=subset(["M1", "M2"]) if draw(st.integers(0, 3)) == 0 else (),
                   station_ids=subset(sorted(STATIONS)) if draw(st.integers(0, 3)) == 0 else (),
                   countries=subset(["FR", "PL", "DE"]) if draw(st.integers(0, 3)) == 0 else (),
                   regions=subset(["FR10", "", "PL9"]) if draw(st.integers(0, 4)) == 0 else (),
                   product_categories=subset(["tv", "fridge"]) if draw(st.integers(0, 4)) == 0 else ())


def same(a, b) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None
    if b is None:
        return False
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-9)


def compare(df, expected, keys):
    cols = [metrics.KEY_COLUMNS[k] for k in metrics.GROUP_KEYS if k in keys]
    got = {tuple(r[c] for c in cols): r for r in df.to_dict("records")}
    assert set(got) == set(expected), (sorted(got), sorted(expected))
    for key, exp in expected.items():
        for name, value in exp.items():
            assert same(got[key][name], value), (key, name, got[key][name], value)


SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(worlds(), filters(), st.lists(st.sampled_from(metrics.GROUP_KEYS), max_size=3, unique=True))
def test_metric_table_matches_reference(world, f, by):
    con = world.connect()
    df = metrics.metric_table(con, Scope.manager(), f, by)
    assert list(df.columns) == metrics.metric_columns(by)
    compare(df, reference.metric_table(world.tables(), f, by), by)


@SETTINGS
@given(worlds(), filters(), st.lists(st.sampled_from(metrics.GROUP_KEYS), max_size=2, unique=True),
       st.sampled_from(sorted(STATIONS)))
def test_station_scope_matches_reference_and_hides_others(world, f, by, station):
    con = world.connect()
    f = f.with_(station_ids=())
    df = metrics.metric_table(con, Scope.station(station), f, by)
    compare(df, reference.metric_table(world.tables(), f, by, scope_station=station), by)
    if "station" in by:
        assert set(df["station_id"]) <= {station}


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds(min_interventions=60, max_interventions=90, manufacturers=("M1",)), filters())
def test_scores_match_reference(world, f):
    f = Filters(date_from=f.date_from, date_to=f.date_to)
    con = world.connect()
    got = score.scores(con, Scope.manager(), f, "M1")
    if not metrics.metric_table(con, Scope.manager(), f.with_(manufacturer_ids=("M1",)), [])["interventions"][0]:
        # No intervention in the period: stations listed for their invoices only, none scored.
        assert got["score"].isna().all()
        return
    expected = reference.scores(world.tables(), f, "M1")
    assert {r["station_id"]: r["score"] for r in got.to_dict("records")}.keys() == expected.keys()
    for r in got.to_dict("records"):
        assert same(r["score"], expected[r["station_id"]]), r


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([f"S{i}" for i in range(12)]),
                       st.one_of(st.none(), st.sampled_from([0.0, 0.25, 1 / 3, 0.5, 1.0, 2.5])), min_size=1),
       st.sampled_from(["higher", "lower"]))
def test_percentile_ranks_match_reference(values, better):
    from analytics.metrics.score import percentile_ranks
    assert percentile_ranks(values, better) == reference.percentile_ranks(values, better)
