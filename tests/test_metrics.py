"""Hand-built fixtures with hand-computed expected values for every metric (metrics.md),
the score and its terms, the bonus/malus tiers, peer comparison, dispute prevention and
the ``metrics`` command."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import math
from decimal import Decimal

import pytest

from tests import engine_fixture, reference
from tests.metrics_fixture import World
from tests.test_metrics_properties import compare

from analytics.metrics import score
from analytics import catalog
from analytics.metrics import disputes, table as metrics
from analytics.core import sql
from analytics.commands import metrics_cmd
from analytics.core.filters import Filters
from analytics.access.scope import Scope, ScopeError

D = dt.date.fromisoformat
ALL = Filters()
MANAGER = Scope.manager()


def nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def world_a() -> World:
    """Fixture A. S1 (FR, FR10) and S2 (FR, no region) in EUR, S3 (PL, PL9) in PLN; manufacturer M1.

    tat days: I1 3, I2 8, I3 1, I4 10, I5 1, I6 2, I7 2, I8 1.
    I1's unit (serial A) comes back at S2 after exactly 90 days (I5); I2's (serial B) after 91 (I6).
    I3 has no policy (NO_POLICY); I2 is submitted 31 days after completion (deadline 30) and its
    document arrived after submission; I4 is submitted on the deadline day.
    PLN has a rate for 2024-03 (0.25), none for 2024-04 (I8).
    """
    w = World()
    w.manufacturer("M1")
    w.station("S1", "FR", "FR10")
    w.station("S2", "FR", None)
    w.station("S3", "PL", "PL9")
    w.intervention("I1", "M1", "S1", "2024-03-01", "2024-03-04", "2024-03-10", category="tv", serial="A",
                   rating=5, docs=[("technician_report", "2024-03-10")], calculated="100.00", labor="40.00")
    w.intervention("I2", "M1", "S1", "2024-03-02", "2024-03-10", "2024-04-10", category="tv", serial="B",
                   visits=2, rating=3, status="review", docs=[("technician_report", "2024-04-11")],
                   calculated="50.00", labor="20.00")
    w.intervention("I3", "M1", "S1", "2024-03-05", "2024-03-06", category="fridge", serial="C",
                   policy=False, status="blocked")
    w.intervention("I4", "M1", "S1", "2024-03-10", "2024-03-20", "2024-04-19", category="fridge", serial="D")
    w.intervention("I5", "M1", "S2", "2024-06-02", "2024-06-03", category="tv", serial="A")
    w.intervention("I6", "M1", "S1", "2024-06-09", "2024-06-11", category="tv", serial="B")
    w.intervention("I7", "M1", "S3", "2024-03-01", "2024-03-03", category="tv", currency="PLN", rating=2,
                   calculated="400.00", labor="100.00")
    w.intervention("I8", "M1", "S3", "2024-04-01", "2024-04-02", category="tv", currency="PLN",
                   calculated="200.00", labor="50.00")
    w.invoice("V1", "M1", "S1", "2024-03-15", [("I1", "110.00"), ("I1", "5.00"), ("I2", "50.00")],
              paid_on="2024-04-14")
    w.invoice("V2", "M1", "S1", "2024-03-20", [("I3", "30.00")])
    w.invoice("V3", "M1", "S3", "2024-03-10", [("I7", "420.00")], paid_on="2024-03-20", currency="PLN")
    w.invoice("V4", "M1", "S3", "2024-04-10", [("I8", "200.00")], paid_on="2024-04-30", currency="PLN")
    w.dispute("D1", "V1", "I1", "2024-03-20", "AMOUNT_MISMATCH", "15.00", resolved_on="2024-03-30", outcome="station")
    w.dispute("D2", "V1", "I2", "2024-03-21", "LATE_SUBMISSION", "20.00", resolved_on="2024-03-25",
              outcome="withdrawn")
    w.dispute("D3", "V1", "I2", "2024-03-22", "CUSTOMER_UNHAPPY", "5.00")
    w.dispute("D4", "V3", "I7", "2024-03-15", "LABOR_OVER_STANDARD", "40.00", resolved_on="2024-03-17",
              outcome="manufacturer")
    w.finding("I1", "AMOUNT_MISMATCH")
    w.finding("I2", "LABOR_OVER_STANDARD")
    w.finding("I7", "LABOR_OVER_STANDARD")
    w.fx("PLN", "2024-03", "0.25")
    return w


@pytest.fixture(scope="module")
def con_a():
    return world_a().connect()


def row(df, **keys):
    sel = df
    for k, v in keys.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, (keys, df)
    return sel.iloc[0].to_dict()


def check(got: dict, expected: dict):
    for name, value in expected.items():
        if value is None:
            assert nan(got[name]), (name, got[name])
        elif isinstance(value, str):
            assert got[name] == value, (name, got[name])
        else:
            assert got[name] == pytest.approx(value, abs=1e-9), (name, got[name], value)


def test_whole_store(con_a):
    df = metrics.metric_table(con_a, MANAGER, ALL)
    assert list(df.columns) == metrics.metric_columns([])
    check(row(df), {
        "interventions": 8,
        "tat_days_median": 2.0,                  # 1 1 1 2 | 2 3 8 10
        "first_time_fix_rate": 7 / 8,            # I2 needed 2 visits
        "repeat_rate": 1 / 8,                    # I1 came back at 90 days; I2 at 91 does not count
        "doc_complete_rate": 6 / 7,              # I3 (no policy) left out; I2's document came late
        "on_time_submission_rate": 6 / 7,        # I2: 31 > 30; I4 on the deadline day counts
        "ready_rate": 6 / 8,
        "requested_amount_eur": None,            # I8 (invoiced, PLN 2024-04) has no rate
        "calculated_amount_eur": None,
        "cost_per_intervention_eur": None,
        "dispute_rate": 3 / 5,                   # invoiced I1 I2 I3 I7 I8; disputed I1 I2 I7
        "disputed_amount_eur": 50.0,             # 15 + 20 + 5 + 40 PLN * 0.25; I8 has no dispute
        "dispute_resolution_days_median": 4.0,   # 2 4 10 (withdrawn D2 included)
        "station_upheld_rate": 1 / 2,            # D1 station, D4 manufacturer; D2 withdrawn
        "customer_rating_avg": 10 / 3,           # 5, 3, 2
        "days_to_pay_median": 20.0,              # 10 20 30; V2 unpaid
        "unpaid_share": 1 / 4,
        "currency": None,                        # EUR and PLN: no native figure
        "requested_amount": None, "calculated_amount": None, "disputed_amount": None,
    })


def test_full_month_and_mixed_currencies(con_a):
    df = metrics.metric_table(con_a, MANAGER, Filters(date_from=D("2024-03-01"), date_to=D("2024-03-31")))
    check(row(df), {
        "interventions": 5,                      # I1 I2 I3 I4 I7
        "tat_days_median": 3.0,                  # 1 2 3 8 10
        "requested_amount_eur": 300.0,           # 115 + 50 + 30 + 420 * 0.25
        "calculated_amount_eur": 250.0,          # 100 + 50 + 400 * 0.25 (I3 has no policy)
        "cost_per_intervention_eur": 75.0,       # 300 / 4 invoiced
        "currency": None, "requested_amount": None,
        "unpaid_share": 1 / 3,                   # V1 V2 V3 issued in March
        "days_to_pay_median": 20.0,              # 30 and 10
    })


def test_partial_period_even_median(con_a):
    df = metrics.metric_table(con_a, MANAGER, Filters(date_from=D("2024-03-05"), date_to=D("2024-06-02")))
    check(row(df), {
        "interventions": 4,                      # I2 I3 I4 I8 (I1 03-04, I7 03-03, I5 06-03 are outside)
        "tat_days_median": 4.5,                  # 1 1 | 8 10: mean of the two middle values
        "unpaid_share": 1 / 4,                   # V1 03-15, V2 03-20, V3 03-10, V4 04-10 issued in it
        "days_to_pay_median": 20.0,              # 30 10 20
    })


def test_single_currency_native_figures(con_a):
    df = metrics.metric_table(con_a, MANAGER, Filters(countries=("FR",)))
    check(row(df), {
        "interventions": 6, "currency": "EUR",
        "requested_amount": 195.0, "requested_amount_eur": 195.0,   # 115 + 50 + 30
        "calculated_amount": 150.0, "cost_per_intervention": 65.0,  # 195 / 3 invoiced
        "disputed_amount": 40.0,
    })


def test_missing_rate_by_month(con_a):
    df = metrics.metric_table(con_a, MANAGER, Filters(station_ids=("S3",)), ["station", "month"])
    check(row(df, month="2024-03"), {"requested_amount_eur": 105.0, "requested_amount": 420.0,
                                     "currency": "PLN", "disputed_amount_eur": 10.0})
    check(row(df, month="2024-04"), {"requested_amount_eur": None, "calculated_amount_eur": None,
                                     "requested_amount": 200.0, "currency": "PLN",
                                     "disputed_amount_eur": 0.0})   # no dispute: nothing to convert
    missing = metrics.missing_fx_rates(con_a, MANAGER, ALL)
    assert missing.to_dict("records") == [{"currency": "PLN", "month": "2024-04", "interventions": 1}]
    assert metrics.missing_fx_rates(con_a, MANAGER, Filters(date_to=D("2024-03-31"))).empty


def test_by_station_empty_sets_and_no_policy(con_a):
    df = metrics.metric_table(con_a, MANAGER, ALL, ["station"])
    assert list(df["station_id"]) == ["S1", "S2", "S3"]
    check(row(df, station_id="S1"), {
        "interventions": 5, "tat_days_median": 3.0,                  # 1 2 3 8 10
        "doc_complete_rate": 3 / 4, "on_time_submission_rate": 3 / 4,  # I3 left out of both
        "repeat_rate": 1 / 5,
    })
    check(row(df, station_id="S2"), {
        "interventions": 1, "repeat_rate": 0.0,                       # I5 is the comeback, not the first
        "dispute_rate": None, "cost_per_intervention_eur": None,      # nothing invoiced
        "requested_amount_eur": 0.0, "disputed_amount_eur": 0.0, "requested_amount": 0.0, "currency": "EUR",
        "dispute_resolution_days_median": None, "station_upheld_rate": None, "customer_rating_avg": None,
        "days_to_pay_median": None, "unpaid_share": None,
    })


def test_invoice_figures_not_by_category(con_a):
    df = metrics.metric_table(con_a, MANAGER, ALL, ["product_category"])
    assert df["days_to_pay_median"].isna().all() and df["unpaid_share"].isna().all()
    check(row(df, product_category="fridge"), {
        "interventions": 2, "tat_days_median": 5.5,                 # 1 | 10
        "requested_amount": 30.0, "currency": "EUR",                # I3 (no policy) billed in EUR
        "calculated_amount": 0.0, "calculated_amount_eur": 0.0,     # no invoiced intervention with a policy
    })
    filtered = metrics.metric_table(con_a, MANAGER, Filters(product_categories=("tv",)))
    assert nan(filtered["unpaid_share"][0])


def test_empty_selection(con_a):
    df = metrics.metric_table(con_a, MANAGER, Filters(date_from=D("2030-01-01")))
    check(row(df), {"interventions": 0, "tat_days_median": None, "first_time_fix_rate": None,
                    "requested_amount_eur": 0.0, "disputed_amount_eur": 0.0, "unpaid_share": None,
                    "currency": None})
    assert metrics.metric_table(con_a, MANAGER, Filters(date_from=D("2030-01-01")), ["station"]).empty


def test_identity_station_scope_equals_manufacturer_row(con_a):
    for f in (ALL, Filters(date_from=D("2024-03-05"), date_to=D("2024-04-30"))):
        table = metrics.metric_table(con_a, Scope.manufacturer("M1"), f, ["station"])
        for station in table["station_id"]:
            own = metrics.metric_table(con_a, Scope.station(station), f, [])
            mine = row(table, station_id=station)
            for col in own.columns:
                a, b = own[col][0], mine[col]
                assert (nan(a) and nan(b)) or a == b, (station, col, a, b)


def test_station_scope_never_returns_another_station(con_a):
    df = metrics.metric_table(con_a, Scope.station("S2"), ALL, ["station", "month"])
    assert set(df["station_id"]) == {"S2"}
    with pytest.raises(ScopeError):
        metrics.metric_table(con_a, Scope.station("S2"), Filters(station_ids=("S1",)), ["station"])
    details = disputes.dispute_details(con_a, Scope.station("S2"), ALL)
    assert details.empty


def test_unknown_key():
    with pytest.raises(metrics.UnknownKey):
        metrics.metric_columns(["station", "city"])


def test_dispute_prevention(con_a):
    overall = disputes.dispute_prevention(con_a, MANAGER, ALL)
    check(row(overall), {"disputes": 4, "prevented": 2, "prevented_share": 0.5,   # D1 and D4
                         "disputed_amount_eur": 50.0, "prevented_amount_eur": 25.0,
                         "prevented_amount_share": 0.5, "currency": None})
    by_reason = disputes.dispute_prevention(con_a, MANAGER, ALL, ["reason"])
    assert dict(zip(by_reason["reason"], by_reason["prevented"])) == {
        "AMOUNT_MISMATCH": 1, "LABOR_OVER_STANDARD": 1, "LATE_SUBMISSION": 0, "OTHER": 0}
    by_station = disputes.dispute_prevention(con_a, MANAGER, ALL, "station")
    check(row(by_station, station_id="S1"), {"disputes": 3, "prevented": 1, "prevented_share": 1 / 3,
                                             "disputed_amount": 40.0, "prevented_amount": 15.0,
                                             "currency": "EUR"})
    details = disputes.dispute_details(con_a, MANAGER, ALL)
    assert dict(zip(details["dispute_id"], details["reason"]))["D3"] == "OTHER"


def test_dispute_rule_codes_match_catalog():
    text = sql.load("engine/facts_disputes")
    listed = set(__import__("re").findall(r"\('([A-Z_]+)'\)", text))
    assert listed == set(catalog.RULES_BY_CODE)


# ---------------------------------------------------------------- score, tiers, peers

def world_b() -> World:
    """Fixture B, manufacturer M2, all in March 2024, policy weights ftf 3, tat 1.

    T1: 20 interventions, all first-time fixes, tat 2, labour 10.01 each (200.20)
    T2: 20, 10 first-time fixes, tat 2, labour 0
    T3: 20, 10 first-time fixes, tat 4, labour 0.25 in total
    T4: 19 (not scored), all first-time fixes, tat 3
    T5: 4, no first-time fix, tat 5
    Ranks among T1..T3 (N = 3): ftf T1 100 (2 worse), T2/T3 25 (1 equal); tat T1/T2 75 (1 worse,
    1 equal), T3 0. Scores: T1 (3*100 + 75)/4 = 93.75, T2 (3*25 + 75)/4 = 37.5, T3 (75 + 0)/4 = 18.75.
    From 2024-07-01 the weights are tat 1 only.
    Tiers: 1) min 93.75 (+3 %), 2) 0 <= score < 37.5 (-2 %).
    """
    w = World()
    w.manufacturer("M2")
    w.manufacturer("M3")
    plan = {"T1": (20, 20, 2, ["10.01"] * 20), "T2": (20, 10, 2, ["0"] * 20),
            "T3": (20, 10, 4, ["0.25"] + ["0"] * 19), "T4": (19, 19, 3, ["1"] * 19), "T5": (4, 0, 5, ["1"] * 4)}
    for s, (n, ftf, tat, labour) in plan.items():
        w.station(s, "DE")
        for k in range(n):
            comp = dt.date(2024, 3, 1 + k)
            w.intervention(f"{s}-{k:02d}", "M2", s, comp - dt.timedelta(days=tat), comp,
                           visits=1 if k < ftf else 2, labor=labour[k], calculated=labour[k])
    w.station("U1", "AT")
    for k in range(20):
        w.intervention(f"U1-{k:02d}", "M3", "U1", "2024-05-01", "2024-05-02")
    w.policy("M2", "2024-01-01", weights={"first_time_fix_rate": 3, "tat_days_median": 1},
             tiers=[(93.75, None, 0.03), (0, 37.5, -0.02)])
    w.policy("M2", "2024-07-01", weights={"tat_days_median": 1})
    return w


@pytest.fixture(scope="module")
def con_b():
    return world_b().connect()


def test_scores_terms_and_ties(con_b):
    df = score.scores(con_b, MANAGER, ALL, "M2")
    got = dict(zip(df["station_id"], df["score"]))
    assert got["T1"] == 93.75 and got["T2"] == 37.5 and got["T3"] == 18.75
    assert nan(got["T4"]) and nan(got["T5"])                  # fewer than 20 interventions
    t1 = row(df, station_id="T1")
    assert (t1["first_time_fix_rate_rank"], t1["tat_days_median_rank"]) == (100.0, 75.0)
    assert (t1["first_time_fix_rate_contribution"], t1["tat_days_median_contribution"]) == (75.0, 18.75)
    t2 = row(df, station_id="T2")
    assert (t2["first_time_fix_rate_rank"], t2["tat_days_median_rank"]) == (25.0, 75.0)
    assert row(df, station_id="T3")["tat_days_median_rank"] == 0.0
    terms = score.score_terms(con_b, MANAGER, ALL, "M2")
    t3 = terms[terms["station_id"] == "T3"]
    assert t3["contribution"].sum() == pytest.approx(18.75)
    assert set(t3["ranked_stations"]) == {3.0}


def test_weights_of_the_period_last_day(con_b):
    later = score.scores(con_b, MANAGER, Filters(date_to=D("2024-07-31")), "M2")
    assert dict(zip(later["station_id"], later["score"]))["T3"] == 0.0   # tat only
    assert dict(zip(later["station_id"], later["score"]))["T1"] == 75.0
    assert score.score_weights(con_b, "M2", D("2024-06-30")) == {"first_time_fix_rate": 3.0,
                                                                   "tat_days_median": 1.0}
    assert score.score_weights(con_b, "M3", D("2024-06-30")) == {
        m: 1.0 for m in ("first_time_fix_rate", "repeat_rate", "tat_days_median", "doc_complete_rate",
                         "dispute_rate")}


def test_single_scored_station_ranks_50(con_b):
    df = score.scores(con_b, MANAGER, ALL, "M3")
    assert row(df, station_id="U1")["score"] == 50.0


def test_station_viewer_sees_own_score_only(con_b):
    df = score.scores(con_b, Scope.station("T2"), ALL, "M2")
    assert list(df["station_id"]) == ["T2"] and df["score"][0] == 37.5
    with pytest.raises(ScopeError):
        score.scores(con_b, Scope.manufacturer("M3"), ALL, "M2")
    # territory filters choose rows, they do not change the ranking
    assert score.scores(con_b, MANAGER, Filters(countries=("FR",)), "M2").empty
    de = score.scores(con_b, MANAGER, Filters(countries=("DE",), station_ids=("T1",)), "M2")
    assert list(de["station_id"]) == ["T1"] and de["score"][0] == 93.75


def test_performance_adjustments_at_tier_boundaries(con_b):
    df = score.performance_adjustments(con_b, MANAGER, "M2")
    t1 = row(df, station_id="T1")
    assert t1["tier_no"] == 1 and t1["labor_amount"] == Decimal("200.20")
    assert t1["adjustment_amount"] == Decimal("6.01")        # 0.03 * 200.20 = 6.006, rounded once
    t2 = row(df, station_id="T2")
    assert nan(t2["tier_no"]) and t2["adjustment_amount"] is None   # 37.5 is not < max 37.5
    t3 = row(df, station_id="T3")
    assert t3["tier_no"] == 2 and t3["adjustment_amount"] == Decimal("-0.01")  # -0.005: away from zero
    t4 = row(df, station_id="T4")
    assert nan(t4["score"]) and t4["adjustment_amount"] is None
    only_t1 = score.performance_adjustments(con_b, Scope.station("T1"), month="2024-03")
    assert list(only_t1["station_id"]) == ["T1"] and only_t1["adjustment_amount"][0] == Decimal("6.01")


def test_peer_comparison(con_b):
    df = metrics.peer_comparison(con_b, Scope.station("T2"), ALL, "T2", "M2")
    assert list(df.columns) == ["metric", "value", "peers", "median", "q1", "q3", "rank", "withheld"]
    ftf = row(df, metric="first_time_fix_rate")
    # values 1, .5, .5, 1, 0 over T1..T5
    assert (ftf["value"], ftf["peers"], ftf["median"], ftf["q1"], ftf["q3"], ftf["rank"]) == (
        0.5, 5, 0.5, 0.5, 1.0, 3)
    rating = row(df, metric="customer_rating_avg")
    assert rating["withheld"] and nan(rating["median"])      # nobody has a rating
    flat = df.astype(str).to_string()
    assert not any(s in flat for s in ("T1", "T3", "T4", "T5"))
    with pytest.raises(ScopeError):
        metrics.peer_comparison(con_b, Scope.station("T2"), ALL, "T1", "M2")


# ---------------------------------------------------------------- command line

def run_cli(path, *argv) -> str:
    parser = argparse.ArgumentParser()
    metrics_cmd.configure(parser)
    args = parser.parse_args(list(argv))
    args.db = path
    out = path.parent / "out.txt"
    args.output = str(out)
    assert metrics_cmd.run(args) == 0
    return out.read_text()


def test_cli_csv_and_json(tmp_path):
    path = tmp_path / "store.duckdb"
    world_b().connect(path).close()
    text = run_cli(path, "--by", "station", "--manufacturer", "M2", "--from", "2024-03-01", "--to", "2024-03-31")
    rows = list(csv.DictReader(io.StringIO(text)))
    header = list(rows[0])
    assert header == ["station_id"] + list(metrics.METRIC_COLUMNS) + ["score"]
    by_station = {r["station_id"]: r for r in rows}
    assert by_station["T1"]["score"] == "93.75" and by_station["T4"]["score"] == ""
    assert by_station["T1"]["customer_rating_avg"] == ""         # no value: empty cell
    data = json.loads(run_cli(path, "--by", "manufacturer", "--format", "json"))
    assert {r["manufacturer_id"]: r["interventions"] for r in data} == {"M2": 83, "M3": 20}
    assert data[0]["customer_rating_avg"] is None


def test_cli_unknown_key_exits_2():
    parser = argparse.ArgumentParser()
    metrics_cmd.configure(parser)
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["--by", "station,city"])
    assert exc.value.code == 2


# ---------------------------------------------------------------- on the real engine

def test_real_engine_store_matches_reference():
    """The verification engineer's fixture, refreshed by the whole engine (their models, then
    the metric models): metric_table equals the plain-Python reference for several groupings."""

    con = engine_fixture.build()
    tables = {}
    for name in ("stations", "interventions", "invoices", "invoice_lines", "disputes", "fx_rates",
                 "intervention_policy", "intervention_amounts", "intervention_status",
                 "intervention_required_documents", "policy_versions", "policy_values"):
        df = con.execute(f"SELECT * FROM {name}").df()  # fixed table names, no data in the SQL text
        tables[name] = [{k: (None if not isinstance(v, (list, str)) and v is not None and _isna(v) else _plain(v))
                         for k, v in r.items()} for r in df.astype(object).to_dict("records")]
    assert tables["interventions"], "the engine fixture has interventions"
    for by in ([], ["station"], ["manufacturer", "month"], ["country", "region"], ["product_category"]):
        compare(metrics.metric_table(con, MANAGER, ALL, by), reference.metric_table(tables, ALL, by), by)


def _isna(v) -> bool:
    try:
        return bool(v != v)
    except Exception:
        return False


def _plain(v):
    import pandas as pd
    if isinstance(v, pd.Timestamp):
        return v.date()
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def test_every_metrics_query_runs_on_the_fixture(con_a):
    """Each queries/metrics/*.sql runs with bound parameters (values that look like SQL stay data)."""
    from analytics.core.config import QUERIES_DIR

    params = {**Scope.station("'); DROP TABLE stations; --").params(), **Filters().params(),
              "g_station": True, "g_manufacturer": False, "g_country": True, "g_region": False,
              "g_month": True, "g_category": False, "g_reason": True,
              "manufacturer_id": "M1", "station_id": "S1", "on": D("2024-03-31"), "month": "2024-03", "limit": 10,
              "reason": "x'); DROP TABLE stations; --"}
    names = sorted(p.stem for p in (QUERIES_DIR / "metrics").glob("*.sql"))
    assert "metric_table" in names and len(names) >= 8
    for name in names:
        text = sql.load(f"metrics/{name}")
        assert text.startswith("--"), f"{name}.sql opens with the definition it implements"
        sql.fetch_all(con_a, f"metrics/{name}", params)
    assert con_a.execute("SELECT count(*) FROM stations").fetchall() == [(3,)]
