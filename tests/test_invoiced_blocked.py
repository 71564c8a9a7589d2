"""The "invoiced while blocked" filter (``Filters.invoiced_blocked``, ``fragments/selection``) and
its disputes analysis (``analytics.page_data.disputes.breakdown``: disputes on interventions invoiced
while blocked, and their share, by reason and territory).

Data: ``tests/engine_fixture.py`` (every invoiced intervention is station S_DE in DE with no region,
but VAT_PL: S_PL, PL, PL91). Invoiced while blocked: DUP_SAME (M01, completed 2024-03-02) and N_1231
(M02, completed 2023-12-31); the other invoiced ones are ready (M_EQ, VAT_OK) or review (VAT_PL).
Disputes added here (reason -> normalised reason):

    D_DUP   DUP_SAME  M01  DUPLICATE_CLAIM          blocked
    D_N1    N_1231    M02  DUPLICATE_CLAIM          blocked
    D_N2    N_1231    M02  "late paperwork" -> OTHER blocked
    D_EQ    M_EQ      M01  AMOUNT_MISMATCH          ready
    D_OK    VAT_OK    M01  OTHER                    ready (resolved)
    D_PL    VAT_PL    M01  VAT_MISMATCH             review

So, for the manager, by reason: DUPLICATE_CLAIM 2 disputes, 2 on blocked (share 1); OTHER 2, 1 (0.5);
AMOUNT_MISMATCH 1, 0; VAT_MISMATCH 1, 0. By country: DE 5 disputes, 3 on blocked (0.6); PL 1, 0.
"""
from __future__ import annotations

import datetime as dt

import pytest

from analytics.access.scope import Scope
from analytics.access.viewer import Viewer
from analytics.core import store
from analytics.core.filters import Filters
from analytics.engine import publishing
from analytics.metrics import disputes
from analytics.page_data import disputes as disputes_page
from analytics.verification import queue
from tests import engine_fixture
from tests.apptest import run_page

ONLY, LEAVE_OUT = Filters(invoiced_blocked=True), Filters(invoiced_blocked=False)
DISPUTES = [
    ("D_DUP", "INV_1", "DUP_SAME", "DUPLICATE_CLAIM", "48.50", None),
    ("D_N1", "INV_N", "N_1231", "DUPLICATE_CLAIM", "60.00", None),
    ("D_N2", "INV_N2", "N_1231", "late paperwork", "10.00", None),
    ("D_EQ", "INV_1", "M_EQ", "AMOUNT_MISMATCH", "5.00", None),
    ("D_OK", "INV_1", "VAT_OK", "OTHER", "5.00", "2024-05-20"),
    ("D_PL", "INV_PL", "VAT_PL", "VAT_MISMATCH", "20.00", None),
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("invoiced_blocked") / "store.duckdb"
    engine_fixture.build_file(path)
    with publishing.writer(path) as w:
        for dispute_id, invoice_id, intervention_id, reason, amount, resolved_on in DISPUTES:
            w.execute("INSERT INTO disputes VALUES (?, ?, ?, DATE '2024-05-10', 'manufacturer', ?, ?, ?, ?, NULL)",
                      [dispute_id, invoice_id, intervention_id, reason, amount, resolved_on,
                       "station" if resolved_on else None])
    store.close_readers()
    return path


@pytest.fixture(scope="module")
def con(store_path):
    return store.reader(store_path)


def _by(con, scope, filters, key):
    frame = disputes_page.breakdown(con, scope, filters, key)
    return {k: (int(d), int(b), float(s)) for k, d, b, s in zip(
        frame["key"], frame["disputes"], frame["invoiced_blocked_disputes"], frame["invoiced_blocked_share"])}


def test_share_of_disputes_on_interventions_invoiced_while_blocked_by_reason_and_country(con):
    assert _by(con, Scope.manager(), Filters(), "reason") == {
        "DUPLICATE_CLAIM": (2, 2, 1.0), "OTHER": (2, 1, 0.5), "AMOUNT_MISMATCH": (1, 0, 0.0),
        "VAT_MISMATCH": (1, 0, 0.0)}
    assert _by(con, Scope.manager(), Filters(), "country") == {"DE": (5, 3, 0.6), "PL": (1, 0, 0.0)}
    assert _by(con, Scope.manager(), Filters(), "region") == {"": (5, 3, 0.6), "PL91": (1, 0, 0.0)}


def test_within_the_scope(con):
    assert _by(con, Scope.manufacturer("M01"), Filters(), "reason") == {
        "DUPLICATE_CLAIM": (1, 1, 1.0), "OTHER": (1, 0, 0.0), "AMOUNT_MISMATCH": (1, 0, 0.0),
        "VAT_MISMATCH": (1, 0, 0.0)}
    assert _by(con, Scope.manufacturer("M02"), Filters(), "reason") == {
        "DUPLICATE_CLAIM": (1, 1, 1.0), "OTHER": (1, 1, 1.0)}
    assert _by(con, Scope.station("S_PL"), Filters(), "country") == {"PL": (1, 0, 0.0)}
    assert _by(con, Scope.station("S_FR"), Filters(), "reason") == {}


def test_the_filter_keeps_only_or_leaves_out_the_disputes_on_interventions_invoiced_while_blocked(con):
    ids = lambda scope, filters: sorted(disputes.dispute_details(con, scope, filters)["dispute_id"])  # noqa: E731
    assert ids(Scope.manager(), ONLY) == ["D_DUP", "D_N1", "D_N2"]
    assert ids(Scope.manager(), LEAVE_OUT) == ["D_EQ", "D_OK", "D_PL"]
    assert ids(Scope.manufacturer("M01"), ONLY) == ["D_DUP"]
    assert ids(Scope.station("S_PL"), ONLY) == []
    assert _by(con, Scope.manager(), ONLY, "reason") == {"DUPLICATE_CLAIM": (2, 2, 1.0), "OTHER": (1, 1, 1.0)}
    assert _by(con, Scope.manager(), LEAVE_OUT, "country") == {"DE": (2, 0, 0.0), "PL": (1, 0, 0.0)}
    # the same disputes everywhere the disputes analysis reads them
    assert disputes.outcome_counts(con, Scope.manager(), ONLY) == {"open": 3}
    assert int(disputes.dispute_prevention(con, Scope.manager(), ONLY)["disputes"].iloc[0]) == 3


def test_the_filter_combines_with_the_shared_filters(con):
    since_2024 = Filters(date_from=dt.date(2024, 1, 1), invoiced_blocked=True)
    assert list(disputes.dispute_details(con, Scope.manager(), since_2024)["dispute_id"]) == ["D_DUP"]
    m02 = Filters(manufacturer_ids=("M02",), invoiced_blocked=True)
    assert sorted(disputes.dispute_details(con, Scope.manager(), m02)["dispute_id"]) == ["D_N1", "D_N2"]
    pl = Filters(countries=("PL",), invoiced_blocked=True)
    assert disputes.dispute_details(con, Scope.manager(), pl).empty
    with_reason = disputes_page.breakdown(con, Scope.manager(), ONLY, "country", reason="OTHER")
    assert list(zip(with_reason["key"], with_reason["disputes"])) == [("DE", 1)]


def test_the_verification_list_follows_the_filter(con):
    only = queue.worst_first(con, Scope.manager(), ONLY, None, "", None)
    assert sorted(only["intervention_id"]) == ["DUP_SAME", "N_1231"]
    assert queue.status_counts(con, Scope.manager(), ONLY)["blocked"] == 2
    left_out = queue.worst_first(con, Scope.manager(), LEAVE_OUT, "blocked", "", None)
    assert {"DUP_SAME", "N_1231"}.isdisjoint(left_out["intervention_id"]) and len(left_out) > 0


def test_a_filter_value_must_be_a_boolean():
    with pytest.raises(TypeError, match="invoiced_blocked"):
        Filters(invoiced_blocked="yes")
    assert Filters().params()["invoiced_blocked"] is None and ONLY.params()["invoiced_blocked"] is True
    assert Filters().applies_to_cells and not ONLY.applies_to_cells


# ---------------------------------------------------------------- the Disputes page, per role

@pytest.mark.parametrize("viewer, expected", [
    (Viewer("t-manager", Scope.manager(), is_admin=True), {"DUPLICATE_CLAIM": (2, 2, 1.0), "OTHER": (1, 1, 1.0)}),
    (Viewer("t-m01", Scope.manufacturer("M01")), {"DUPLICATE_CLAIM": (1, 1, 1.0)}),
    (Viewer("t-m02", Scope.manufacturer("M02")), {"DUPLICATE_CLAIM": (1, 1, 1.0), "OTHER": (1, 1, 1.0)}),
    (Viewer("t-s-de", Scope.station("S_DE")), {"DUPLICATE_CLAIM": (2, 2, 1.0), "OTHER": (1, 1, 1.0)}),
    (Viewer("t-s-pl", Scope.station("S_PL")), {}),
])
def test_the_disputes_page_with_the_filter_per_role(store_path, monkeypatch, viewer, expected):
    at = run_page("pages/disputes.py", viewer, store_path, monkeypatch, {"invoiced_blocked": "yes"})
    assert at.query_params["invoiced_blocked"] in ("yes", ["yes"])  # kept in the URL
    assert next(s for s in at.selectbox if s.key == "pk_filter_invoiced_blocked").value == "yes"
    tables = {d.key: d.value for d in at.dataframe}
    blocked_tables = [d.value for d in at.dataframe if "invoiced_blocked_share" in d.value.columns
                      and "reason" in d.value.columns]
    if not expected:
        assert not blocked_tables and "disputes_list" not in tables
        return
    by_reason = blocked_tables[0]
    assert {r: (int(d), int(b), float(s)) for r, d, b, s in zip(
        by_reason["reason"], by_reason["disputes"], by_reason["invoiced_blocked_disputes"],
        by_reason["invoiced_blocked_share"])} == expected
    assert len(tables["disputes_list"]) == sum(d for d, _, _ in expected.values())


def test_the_disputes_page_without_the_filter_shows_the_share(store_path, monkeypatch):
    at = run_page("pages/disputes.py", Viewer("t-manager", Scope.manager(), is_admin=True), store_path, monkeypatch)
    share = next(m for m in at.metric if m.label == "Share of disputes")
    assert share.value == "50.0 %"  # 3 of the 6 disputes
    assert any(b.key == "disputes_blocked_only" for b in at.button)
    assert len(next(d.value for d in at.dataframe if d.key == "disputes_list")) == 6
