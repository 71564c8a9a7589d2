"""The app shell and the Overview, Stations, Scorecard and Definitions pages (AppTest), and their
analytics modules (:mod:`analytics.overview`, :mod:`analytics.scorecard`) and number formatting.

Page tests run on the session's small demo store (``demo_store_path``, 20,000 interventions) for a
manager, a manufacturer (M01) and a station (S0028, the demo's station login) and compare what
the page shows with what ``analytics/`` returns for the same viewer and filters. Expected values
of the pipeline come from a plain pandas reference over the raw contract tables.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from analytics.page_data import overview, scorecard
from analytics.core import store
from analytics.core.filters import Filters
from analytics.metrics.table import metric_table
from analytics.metrics.score import score_terms, scores
from analytics.access.scope import Scope, ScopeError
from analytics.access.viewer import Viewer
from tests.apptest import run_page

ROOT = Path(__file__).resolve().parents[1]
OWN_STATION = "S0028"
VIEWERS = {
    "manager": Viewer("demo-manager", Scope.manager(), is_admin=True),
    "manufacturer": Viewer("demo-m01", Scope("manufacturer", manufacturer_id="M01")),
    "station": Viewer("demo-s0028", Scope("station", station_id=OWN_STATION)),
}


@pytest.fixture(scope="module")
def con(demo_store_path):
    return store.reader(demo_store_path)


def run(path: str, viewer: Viewer, db: Path, monkeypatch, query: dict | None = None):
    """Run ``path`` (``app.py`` or ``pages/<name>.py``) for ``viewer`` with URL ``query``; no exception."""
    return run_page(path, viewer, db, monkeypatch, query)


def all_text(at) -> str:
    parts = [str(e.value) for kind in ("title", "subheader", "markdown", "caption", "text", "info", "warning",
                                       "success", "error") for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    parts += [" ".join(map(str, box.options)) for box in at.selectbox]
    return "\n".join(parts)


def other_stations_in(text: str, con) -> list[str]:
    """The ids and names of stations other than ``OWN_STATION`` found in ``text``."""
    rows = con.execute("SELECT station_id, name FROM stations").fetchall()
    own_name = dict(rows)[OWN_STATION]
    return [s for s, n in rows if s != OWN_STATION and (s in text or (n != own_name and n in text))]


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def frame_with(at, *columns: str) -> pd.DataFrame:
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with columns {columns}")


# ---------------------------------------------------------------- formatting (ui/i18n.py)

@pytest.mark.parametrize("lang, amount, rate, number", [
    ("en", "€1,234.56", "12.5%", "1,234,567"),
    ("fr", "1\u202f234,56 €", "12,5\u202f%", "1\u202f234\u202f567"),
])
def test_locale_formats(lang, amount, rate, number, monkeypatch):
    from ui import i18n

    monkeypatch.setattr(i18n, "language", lambda: lang)
    assert i18n.fmt_value("requested_amount", 1234.56) == amount
    assert i18n.fmt_value("requested_amount", 2_665_000, compact=True) == (
        "€2.67\u00a0M" if lang == "en" else "2,67\u00a0M €")
    assert i18n.fmt_value("first_time_fix_rate", 0.125) == rate
    assert i18n.fmt_value("interventions", 1234567) == number
    for missing in (None, float("nan")):
        assert i18n.fmt_value("repeat_rate", missing) == "—"
    assert i18n.fmt_value("repeat_rate", 0.0) != "—"  # a zero is a value
    assert i18n.fmt_delta("repeat_rate", 0.10, 0.125) == ("-2.5 pts" if lang == "en" else "-2,5 pts")


def test_french_labels_cover_every_metric(monkeypatch):
    from analytics.catalog import METRICS, RULES
    from ui import i18n

    monkeypatch.setattr(i18n, "language", lambda: "fr")
    for m in METRICS:
        assert i18n.metric_label(m.name) != m.label or m.name == "interventions", m.name
        assert i18n.metric_definition(m.name) != m.definition, m.name
    for r in RULES:
        assert i18n.rule_label(r.code) != r.label and i18n.rule_definition(r.code) != r.definition, r.code
    assert i18n.metric_definition("score").startswith("Score (0–100) d'une station")


# ---------------------------------------------------------------- analytics.overview

def test_previous_period():
    f = Filters(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 31), countries=("FR",))
    before = overview.previous_period(f)
    assert (before.date_from, before.date_to) == (dt.date(2025, 1, 29), dt.date(2025, 2, 28))  # 31 days
    assert before.countries == ("FR",)
    assert overview.previous_period(Filters(date_from=dt.date(2025, 3, 1))) is None


def _reference_pipeline(con, station: str | None, date_from, date_to) -> list[int]:
    """The pipeline from the raw contract tables with pandas (a simple reference)."""
    iv = con.execute("SELECT intervention_id, station_id, completed_on FROM interventions").df()
    iv = iv[(iv["completed_on"] >= pd.Timestamp(date_from)) & (iv["completed_on"] <= pd.Timestamp(date_to))]
    if station:
        iv = iv[iv["station_id"] == station]
    ids = set(iv["intervention_id"])
    status = con.execute("SELECT intervention_id, status FROM intervention_status").df()
    lines = con.execute("SELECT l.intervention_id, v.paid_on FROM invoice_lines l JOIN invoices v USING (invoice_id)").df()
    disputes = con.execute("SELECT intervention_id, resolved_on FROM disputes").df()
    ready = set(status.loc[status["status"] == "ready", "intervention_id"]) & ids
    lines = lines[lines["intervention_id"].isin(ids)]
    invoiced = set(lines["intervention_id"])
    paid = {i for i, g in lines.groupby("intervention_id") if g["paid_on"].notna().all()}
    disputes = disputes[disputes["intervention_id"].isin(ids)]
    disputed = set(disputes["intervention_id"])
    resolved = {i for i, g in disputes.groupby("intervention_id") if g["resolved_on"].notna().all()}
    return [len(ids), len(ready), len(invoiced), len(disputed), len(resolved), len(paid)]


@pytest.mark.parametrize("station", [None, OWN_STATION])
@pytest.mark.parametrize("days", [(dt.date(2025, 1, 1), dt.date(2025, 6, 30)),    # whole months: 'M' cells
                                  (dt.date(2024, 11, 17), dt.date(2025, 2, 3))])  # edge days: 'D' cells too
def test_pipeline_matches_reference(con, station, days):
    period = Filters(date_from=days[0], date_to=days[1])
    scope = Scope("station", station_id=station) if station else Scope.manager()
    got = overview.pipeline(con, scope, period)
    assert got["stage"].tolist() == list(overview.STAGES)
    assert got["interventions"].tolist() == _reference_pipeline(con, station, period.date_from, period.date_to)
    assert got["interventions"].iloc[0] > 0


# ---------------------------------------------------------------- analytics.scorecard

def test_scorecard_scope_is_enforced(con):
    station = Scope("station", station_id=OWN_STATION)
    for fn in (scorecard.open_findings, scorecard.open_disputes, scorecard.paid_amounts, scorecard.score_gains):
        with pytest.raises(ScopeError):
            fn(con, station, Filters(), "S0001", "M01")
    with pytest.raises(ScopeError):
        scorecard.league_table(con, station, Filters(), "M01")
    with pytest.raises(ScopeError):
        scorecard.league_table(con, VIEWERS["manufacturer"].scope, Filters(), "M02")
    choices = scorecard.station_choices(con, station, Filters())
    assert set(choices["station_id"]) == {OWN_STATION}


def test_league_table_and_rank_agree_with_scores(con):
    table = scorecard.league_table(con, Scope.manager(), Filters(), "M01")
    expected = scores(con, Scope.manager(), Filters(), "M01").set_index("station_id")["score"]
    got = table.set_index("station_id")["score"]
    pd.testing.assert_series_equal(got.sort_index(), expected.reindex(got.index).sort_index(), check_names=False)
    ranked = table.dropna(subset=["score"])
    assert ranked["score"].is_monotonic_decreasing and ranked["rank"].iloc[0] == 1
    # score_rank: 1 + the number of scored stations with a strictly higher score
    row = ranked.iloc[len(ranked) // 2]
    rank, n = scorecard.score_rank(con, Scope("station", station_id=row["station_id"]), Filters(),
                                   row["station_id"], "M01")
    assert rank == 1 + int((ranked["score"] > row["score"]).sum()) and n == len(ranked)


def test_score_gains_are_consistent(con):
    gains = scorecard.score_gains(con, Scope.manager(), Filters(), OWN_STATION, "M01")
    own = scores(con, Scope.manager(), Filters(), "M01").set_index("station_id").loc[OWN_STATION]
    assert len(gains) > 0
    assert gains["score"].tolist() == pytest.approx([own["score"]] * len(gains))
    assert (gains["gain"] > 0).all() and gains["gain"].is_monotonic_decreasing
    assert (gains["score_if"] - gains["score"]).tolist() == pytest.approx(gains["gain"].tolist())
    for r in gains.itertuples():  # only metrics where the station is worse than the median
        better = __import__("analytics.catalog", fromlist=["x"]).METRICS_BY_NAME[r.metric].better
        assert (r.value < r.median) if better == "higher" else (r.value > r.median)


# ---------------------------------------------------------------- the app shell

@pytest.mark.parametrize("role", list(VIEWERS))
def test_app_runs_for_each_role(role, demo_store_path, monkeypatch):
    at = run("app.py", VIEWERS[role], demo_store_path, monkeypatch)
    assert at.title[0].value == "Overview"
    # the role filter of the navigation: a station has no league table nor import page, only
    # managers import (pages not in the navigation are refused first, on the app's first run)
    pages = (("stations", role != "station"), ("import_data", role == "manager"))
    for page, allowed in pages:
        if not allowed:
            with pytest.raises(Exception, match="Could not find a navigation page"):
                at.switch_page(f"pages/{page}.py")
    for page, allowed in pages:
        if allowed:
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception
            assert at.title[0].value == {"stations": "Stations", "import_data": "Import data"}[page]


def test_app_shows_login_without_viewer(demo_store_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIRVOIE_DB", str(demo_store_path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Log in"] and not at.metric


# ---------------------------------------------------------------- pages

@pytest.mark.parametrize("role", list(VIEWERS))
def test_overview_page(role, con, demo_store_path, monkeypatch):
    viewer = VIEWERS[role]
    at = run("pages/overview.py", viewer, demo_store_path, monkeypatch)
    assert at.title[0].value == "Overview"
    whole = metric_table(con, viewer.scope, Filters()).iloc[0]
    assert metric(at, "Interventions") == f"{whole['interventions']:,}"
    assert metric(at, "First-time fix rate") == f"{100 * whole['first_time_fix_rate']:.1f}%"
    pipeline = frame_with(at, "stage", "interventions")
    funnel = overview.funnel(con, viewer.scope, Filters())  # the funnel and the counts beside it
    assert pipeline["interventions"].tolist() == [funnel[s] for s in (*overview.FUNNEL_STAGES, *overview.BESIDE_FUNNEL)]
    monthly = frame_with(at, "month", "first_time_fix_rate")
    expected = metric_table(con, viewer.scope, Filters(), ["month"])
    assert monthly["month"].tolist() == expected["month"].tolist()
    assert monthly["interventions"].tolist() == expected["interventions"].tolist()
    if role == "station":
        assert not other_stations_in(all_text(at), con)


def test_overview_filters_from_url(con, demo_store_path, monkeypatch):
    viewer = VIEWERS["manager"]
    at = run("pages/overview.py", viewer, demo_store_path, monkeypatch,
             {"from": "2025-04-01", "to": "2025-06-30", "country": "FR"})
    chosen = Filters(date_from=dt.date(2025, 4, 1), date_to=dt.date(2025, 6, 30), countries=("FR",))
    now, before = overview.headline(con, viewer.scope, chosen)
    assert metric(at, "Interventions") == f"{now['interventions']:,}"
    delta = next(m for m in at.metric if m.label == "Interventions").delta
    diff = int(now["interventions"] - before["interventions"])
    assert delta == ("+" if diff >= 0 else "-") + f"{abs(diff):,}"
    assert at.query_params["country"] == ["FR"] or at.query_params["country"] == "FR"


def test_overview_refuses_filter_outside_scope(con, demo_store_path, monkeypatch):
    at = run("pages/overview.py", VIEWERS["manufacturer"], demo_store_path, monkeypatch, {"manufacturer": "M02"})
    assert any("outside your view" in w.value for w in at.warning)
    whole = metric_table(con, VIEWERS["manufacturer"].scope, Filters()).iloc[0]
    assert metric(at, "Interventions") == f"{whole['interventions']:,}"


@pytest.mark.parametrize("role", ["manager", "manufacturer"])
def test_stations_page(role, con, demo_store_path, monkeypatch):
    viewer = VIEWERS[role]
    at = run("pages/stations.py", viewer, demo_store_path, monkeypatch, {"manufacturer": "M01"})
    shown = frame_with(at, "rank", "station_id", "score")
    expected = scorecard.league_table(con, viewer.scope, Filters(), "M01")
    assert shown["station_id"].tolist() == expected["station_id"].tolist()
    assert shown["score"].tolist() == pytest.approx(expected["score"].tolist(), nan_ok=True)
    at.text_input(key="stations_search").input(OWN_STATION).run()
    assert frame_with(at, "station_id")["station_id"].tolist() == [OWN_STATION]


def test_stations_page_refused_to_a_station(demo_store_path, monkeypatch):
    at = run("pages/stations.py", VIEWERS["station"], demo_store_path, monkeypatch)
    assert at.error and not at.dataframe


@pytest.mark.parametrize("role", list(VIEWERS))
def test_scorecard_page(role, con, demo_store_path, monkeypatch):
    viewer = VIEWERS[role]
    at = run("pages/scorecard.py", viewer, demo_store_path, monkeypatch,
             {"station": OWN_STATION, "manufacturer": "M01"})
    assert at.selectbox(key="scorecard_station").value == OWN_STATION
    own = scores(con, viewer.scope, Filters(station_ids=(OWN_STATION,)), "M01").iloc[0]
    assert metric(at, "Score") == f"{own['score']:.1f}"
    rank, n = scorecard.score_rank(con, viewer.scope, Filters(), OWN_STATION, "M01")
    assert metric(at, "Rank") == f"{rank} / {n}"
    terms = frame_with(at, "metric", "percentile_rank", "contribution")
    assert terms["contribution"].sum() == pytest.approx(own["score"])
    expected = score_terms(con, viewer.scope, Filters(station_ids=(OWN_STATION,)), "M01")
    assert terms["metric"].tolist() == expected["metric"].tolist()
    for heading in ("Why this score", "Compared with comparable stations", "What to fix now",
                    "Which improvement would raise the score most"):
        assert heading in [s.value for s in at.subheader]
    if role == "station":
        assert not other_stations_in(all_text(at), con)


def test_scorecard_refuses_another_station_for_a_station_viewer(demo_store_path, monkeypatch):
    at = run("pages/scorecard.py", VIEWERS["station"], demo_store_path, monkeypatch,
             {"station": "S0001", "manufacturer": "M01"})
    assert any("outside your view" in w.value for w in at.warning)
    assert at.selectbox(key="scorecard_station").value == OWN_STATION
    assert at.selectbox(key="scorecard_station").options == [f"{OWN_STATION} — " +
                                                             at.selectbox(key="scorecard_station").options[0].split(" — ", 1)[1]]


def test_definitions_page(demo_store_path, monkeypatch):
    from analytics.catalog import METRICS, RULES

    at = run("pages/definitions.py", VIEWERS["station"], demo_store_path, monkeypatch)
    assert frame_with(at, "metric", "definition")["metric"].tolist() == [m.name for m in METRICS]
    assert frame_with(at, "code", "severity")["code"].tolist() == [r.code for r in RULES]
    at2 = run("pages/definitions.py", VIEWERS["station"], demo_store_path, monkeypatch, {"lang": "fr"})
    labels = frame_with(at2, "metric", "label")
    assert labels.loc[labels["metric"] == "repeat_rate", "label"].item() == "Taux de retour"


def test_overview_in_french(con, demo_store_path, monkeypatch):
    at = run("pages/overview.py", VIEWERS["manager"], demo_store_path, monkeypatch, {"lang": "fr"})
    assert at.title[0].value == "Vue d'ensemble"
    whole = metric_table(con, Scope.manager(), Filters()).iloc[0]
    n = f"{whole['interventions']:,}".replace(",", "\u202f")
    assert metric(at, "Interventions") == n
    rate = f"{100 * whole['first_time_fix_rate']:.1f}".replace(".", ",") + "\u202f%"
    assert metric(at, "Réparé à la première visite") == rate
    assert at.query_params["lang"] in ("fr", ["fr"])
