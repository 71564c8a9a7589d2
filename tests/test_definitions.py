"""Every figure one step from its SQL: each catalog metric names the queries that compute it and a
formula, and the Definitions page shows, for each metric, its definition, its formula and that SQL
(collapsed), in English and in French, for every role."""
from __future__ import annotations

import pytest

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.catalog import FR, METRICS, in_euros, metric_of_column
from analytics.core import sql
from analytics.core.config import QUERIES_DIR
from tests.apptest import run_page

VIEWERS = {
    "manager": Viewer("demo-manager", Scope.manager(), is_admin=True),
    "manufacturer": Viewer("demo-m01", Scope("manufacturer", manufacturer_id="M01")),
    "station": Viewer("demo-s0028", Scope("station", station_id="S0028")),
}


def test_every_metric_names_its_queries_and_a_formula():
    for m in METRICS:
        assert m.formula.strip() and FR[f"metric.{m.name}.formula"].strip(), m.name
        assert m.sql and m.sql[0] == "metrics/metric_table", m.name
        for name in m.sql:
            assert (QUERIES_DIR / f"{name}.sql").is_file(), f"{m.name}: no queries/{name}.sql"
            assert sql.load(name).strip(), name
    # the engine model each family is summed from is named
    by_name = {m.name: m for m in METRICS}
    assert "engine/rollup_intervention_cells" in by_name["first_time_fix_rate"].sql
    assert "engine/rollup_day_hist" in by_name["tat_days_median"].sql
    assert "engine/rollup_invoice_cells" in by_name["unpaid_share"].sql
    assert "engine/facts_disputes" in by_name["dispute_resolution_days_median"].sql


def test_the_column_rule_and_its_inverse():
    for m in METRICS:
        assert metric_of_column(m.value_column) is m and metric_of_column(m.name) is m
        assert in_euros(m.value_column) == (m.kind == "amount")
        assert not in_euros(m.name)
    assert metric_of_column("requested_amount_eur").name == "requested_amount"
    assert metric_of_column("interventions_eur") is None and metric_of_column("station_id") is None


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("role", list(VIEWERS))
def test_definitions_page_shows_each_metric_with_its_formula_and_sql(role, lang, demo_store_path, monkeypatch):
    from ui.i18n import metric_formula, metric_label

    at = run_page("pages/definitions.py", VIEWERS[role], demo_store_path, monkeypatch,
                  {"lang": lang} if lang == "fr" else None)
    markdown = [str(m.value) for m in at.markdown]
    expanders = at.expander
    assert len(expanders) == len(METRICS)
    heading = "Le SQL qui le calcule" if lang == "fr" else "The SQL that computes it"
    for m, box in zip(METRICS, expanders):
        label = metric_label(m.name, lang)
        formula = metric_formula(m.name, lang)
        assert formula == (FR[f"metric.{m.name}.formula"] if lang == "fr" else m.formula)
        assert any(text.startswith(f"**{label}** — ") for text in markdown), label
        assert any(f"`{formula}`" in text for text in markdown), formula
        assert box.proto.label == f"{heading} — {label}"
        assert not box.proto.expanded  # collapsed until opened
        codes = box.get("code")
        assert [c.proto.language for c in codes] == ["sql"] * len(m.sql)
        assert [c.value.strip() for c in codes] == [sql.load(name).strip() for name in m.sql]  # as it runs
        assert [c.value for c in box.markdown] == [f"`queries/{name}.sql`" for name in m.sql]
