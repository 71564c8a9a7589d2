"""What the pages read instead of whole tables, checked against a plain reference on the session's
demo store: the pre-invoices on offer (``analytics.preinvoice.available``, from the rollup's month
cells) against pandas over the interventions; the territory parameters (dict look-ups) against
``analytics.policies.resolve`` territory by territory; the Disputes page's outcome counts,
resolution-time distribution and newest-first list against the whole dispute list in pandas.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analytics.metrics import disputes
from analytics.policy import in_force as policies
from analytics.billing import preinvoice
from analytics.core import store
from analytics.core.filters import Filters
from analytics.access.scope import Scope


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


@pytest.mark.parametrize("scope", [Scope.manager(), Scope.station("S0001")], ids=["manager", "station"])
@pytest.mark.parametrize("filters", [Filters(), Filters(date_from=dt.date(2025, 1, 10), date_to=dt.date(2025, 8, 20),
                                                        countries=("FR", "DE", "PL"))], ids=["all", "filtered"])
def test_dispute_counts_and_list_match_the_whole_list(con, scope, filters):
    whole = disputes.dispute_details(con, scope, filters)
    assert len(whole) > 0
    outcomes = whole["outcome"].fillna("open").value_counts().to_dict()
    assert disputes.outcome_counts(con, scope, filters) == {o: int(n) for o, n in outcomes.items()}
    resolved = whole[whole["resolved_on"].notna()]
    days = (pd.to_datetime(resolved["resolved_on"]) - pd.to_datetime(resolved["opened_on"])).dt.days
    want = days.value_counts().sort_index()
    got = disputes.resolution_days(con, scope, filters)
    assert list(got["days"]) == list(want.index) and list(got["disputes"]) == list(want.values)
    # newest first, then by id; the first rows of the list are the first rows of the whole
    order = whole.assign(_day=pd.to_datetime(whole["opened_on"]))
    order = order.sort_values(["_day", "dispute_id"], ascending=[False, True])
    assert list(whole["dispute_id"]) == list(order["dispute_id"])
    first = disputes.dispute_details(con, scope, filters, limit=7)
    assert list(first["dispute_id"]) == list(whole["dispute_id"].head(7))
    with pytest.raises(ValueError):
        disputes.dispute_details(con, scope, filters, limit=-1)


@pytest.mark.parametrize("scope", [Scope.manager(), Scope.station("S0001")], ids=["manager", "station"])
def test_filter_choices_are_those_of_the_interventions(con, scope):
    from analytics.page_data import territories

    rows = con.execute("SELECT i.manufacturer_id, i.station_id, i.product_category, s.country, "
                       "coalesce(s.region, '') AS region FROM interventions i JOIN stations s USING (station_id)").df()
    if scope.station_id:
        rows = rows[rows["station_id"] == scope.station_id]
    want = {"manufacturer": sorted(set(rows["manufacturer_id"])), "country": sorted(set(rows["country"])),
            "region": sorted(set(rows["region"]) - {""}), "product_category": sorted(set(rows["product_category"]))}
    assert territories.filter_choices(con, scope) == want


@pytest.mark.parametrize("filters", [Filters(), Filters(date_from=dt.date(2024, 11, 17), date_to=dt.date(2025, 2, 3),
                                                        product_categories=("oven", "tv"))], ids=["all", "edge-days"])
def test_station_choices_count_the_interventions(con, filters):
    from analytics.page_data import scorecard

    rows = con.execute("SELECT i.station_id, i.manufacturer_id, i.completed_on, i.product_category, s.name, s.country "
                       "FROM interventions i JOIN stations s USING (station_id)").df()
    if filters.date_from:
        days = pd.to_datetime(rows["completed_on"])
        rows = rows[(days >= pd.Timestamp(filters.date_from)) & (days <= pd.Timestamp(filters.date_to))]
    if filters.product_categories:
        rows = rows[rows["product_category"].isin(filters.product_categories)]
    want = (rows.groupby(["station_id", "name", "country", "manufacturer_id"], as_index=False)
            .size().rename(columns={"size": "interventions"}))
    got = scorecard.station_choices(con, Scope.manager(), filters)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("role", ["manager", "manufacturer", "station"])
@pytest.mark.parametrize("filters", [Filters(), Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 30))],
                         ids=["all", "half-year"])
def test_score_summary_is_the_four_figures(con, role, filters):
    """One scoring of the period gives what scores, score_terms, score_rank and score_gains give."""
    from analytics.metrics import score
    from analytics.page_data import scorecard

    station = "S0001"
    brand = con.execute("SELECT min(manufacturer_id) FROM interventions WHERE station_id = $s",
                        {"s": station}).fetchall()[0][0]
    scope = {"manager": Scope.manager(), "manufacturer": Scope.manufacturer(brand),
             "station": Scope.station(station)}[role]
    summary = scorecard.score_summary(con, scope, filters, station, brand)
    mine = filters.with_(station_ids=(station,))
    pd.testing.assert_frame_equal(summary["score"], score.scores(con, scope, mine, brand))
    pd.testing.assert_frame_equal(summary["terms"], score.score_terms(con, scope, mine, brand))
    assert summary["rank"] == scorecard.score_rank(con, scope, filters, station, brand)
    own_score = summary["score"]["score"].iloc[0]
    assert (summary["rank"][0] is None) == bool(pd.isna(own_score))  # ranked exactly when scored
    if filters == Filters():
        assert summary["rank"][0] is not None and summary["rank"][1] >= summary["rank"][0]
    pd.testing.assert_frame_equal(summary["gains"], scorecard.score_gains(con, scope, filters, station, brand))
    with pytest.raises(scorecard.ScopeError):
        scorecard.score_summary(con, Scope.station("S0002"), filters, station, brand)


@pytest.mark.parametrize("role", ["manager", "manufacturer", "station"])
@pytest.mark.parametrize("filters", [
    Filters(),
    Filters(date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 6, 30)),  # whole months
    Filters(date_from=dt.date(2024, 3, 10), date_to=dt.date(2025, 5, 20)),  # the last month cut by the period
    Filters(date_from=dt.date(2025, 3, 5), date_to=dt.date(2025, 4, 20)),  # no month whole: scored on its own
    Filters(countries=("FR",)),  # a territory (the station's country): its own figures are read on their own
    Filters(product_categories=("tv",)),  # (the station's main category)
], ids=["all", "half-year", "partial-months", "no-whole-month", "country", "category"])
def test_scorecard_reads_are_the_functions_figures(con, role, filters):
    """The Scorecard's months, total and peers, read once for the whole brand (page_data.scorecard.monthly,
    score_summary's total and peers), are what the public functions give for the station on their own:
    scores by month, the metric table by month and in total, the bonus/malus of the last month worked,
    the comparison with the stations of its country."""
    from analytics.metrics import score
    from analytics.metrics.table import metric_table, peer_comparison
    from analytics.page_data import overview, scorecard

    station = "S0001"
    brand = con.execute("SELECT min(manufacturer_id) FROM interventions WHERE station_id = $s",
                        {"s": station}).fetchall()[0][0]
    country = con.execute("SELECT country FROM stations WHERE station_id = $s", {"s": station}).fetchall()[0][0]
    category = con.execute("SELECT product_category FROM interventions WHERE station_id = $s "
                           "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1", {"s": station}).fetchall()[0][0]
    if filters.countries:
        filters = filters.with_(countries=(country,))
    if filters.product_categories:
        filters = filters.with_(product_categories=(category,))
    scope = {"manager": Scope.manager(), "manufacturer": Scope.manufacturer(brand),
             "station": Scope.station(station)}[role]
    own = filters.with_(station_ids=(station,), manufacturer_ids=(brand,))
    months = scorecard.monthly(con, scope, filters, station, brand)
    want = score.scores(con, scope, filters.with_(station_ids=(station,)), brand, True)
    assert len(want) > 0
    pd.testing.assert_frame_equal(months["scores"], want)
    figures = metric_table(con, scope, own, ("month",))
    assert len(figures) > 0
    pd.testing.assert_frame_equal(months["figures"], figures)
    summary = scorecard.score_summary(con, scope, filters, station, brand, country)
    pd.testing.assert_frame_equal(summary["total"], metric_table(con, scope, own))
    peers = peer_comparison(con, scope, filters.with_(countries=(country,)), station, brand)
    assert peers["peers"].max() > 1
    pd.testing.assert_frame_equal(summary["peers"], peers)
    # the last month worked that the data covers whole, and its tier scored on its own
    worked = want.loc[want["interventions"] > 0, "month"]
    whole = worked[~worked.isin(overview.incomplete_months(overview.data_last_day(con, scope), filters))]
    assert months["last_month"] == (whole.max() if len(whole) else worked.max())
    tier = score.performance_adjustments(con, scope, brand, months["last_month"])
    tier = tier[tier["station_id"] == station].sort_values("month")
    assert len(tier) >= 1
    pd.testing.assert_frame_equal(months["tier"], tier)
    with pytest.raises(scorecard.ScopeError):
        scorecard.monthly(con, Scope.station("S0002"), filters, station, brand)


def test_scorecard_shows_the_tier_of_the_last_month_worked(demo_store_path, con, monkeypatch):
    """The bonus/malus card names the station's last month with interventions in the selection
    (a later month holding only an invoice is not a month worked) and that month's tier."""
    from analytics.metrics import score
    from analytics.access.viewer import Viewer
    from tests.apptest import run_page

    station = "S0001"
    brand = con.execute("SELECT min(manufacturer_id) FROM interventions WHERE station_id = $s",
                        {"s": station}).fetchall()[0][0]
    last = con.execute("SELECT strftime(max(completed_on), '%Y-%m') FROM interventions "
                       "WHERE station_id = $s AND manufacturer_id = $m", {"s": station, "m": brand}).fetchall()[0][0]
    at = run_page("pages/scorecard.py", Viewer("demo-manager", Scope.manager(), is_admin=True), demo_store_path,
                  monkeypatch, {"station": station, "manufacturer": brand})
    card = next(m for m in at.metric if m.label.startswith("Bonus/malus tier"))
    assert card.label == f"Bonus/malus tier ({last})"
    tier = score.performance_adjustments(con, Scope.manager(), brand, last)
    tier = tier[tier["station_id"] == station]
    assert len(tier) >= 1
    if tier["tier_no"].isna().all():
        assert card.value == "—"
    else:
        assert card.value.startswith(f"{int(tier['tier_no'].dropna().iloc[-1])}:")
